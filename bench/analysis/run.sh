# shellcheck shell=bash
# `scripts/bench.sh analysis` (sourced by scripts/bench.sh, which sets root, build, threads,
# work and the helpers): Sonique's analyser against bliss on the same files in the same run.
# bench/README.md says what each figure means and holds the latest.

# Published single-core figure of a Raspberry Pi 4 (Cortex-A72, 1.5 GHz, sysbench 1.0.20,
# `sysbench cpu --threads=1 --time=60 run`, prime limit 10,000): events per second.
# Source: https://leoncode.co.uk/articles/raspberry-pi-benchmarks
readonly PI4_SYSBENCH_EVENTS_S=1477.83
readonly WESNOTH_MUSIC=/usr/share/games/wesnoth/1.16/data/core/music
# The second corpus's packages (bench/analysis/soundtracks.tsv lists their folders).
readonly SOUNDTRACK_PACKAGES=(warzone2100-music singularity-music colobot-common-sounds
  planetblupi-music-ogg pushover-data)

ensure_analysis_packages() {
  local missing=() p
  for p in wesnoth-1.16-music "${SOUNDTRACK_PACKAGES[@]}" sysbench libclang-dev libavfilter-dev \
    libavdevice-dev; do
    pkg_installed "$p" || missing+=("$p")
  done
  apt_install "${missing[@]}"
}

# Runs "$@" under GNU time with stdout to $out; sets wall, cpu (user + system, children reaped
# included) and rss_mb (the largest of the process and its children).
measure_analyser() { # OUT COMMAND...
  local out="$1" u s kb
  shift
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$@" >"$out" 2>"$work/last.log" || {
    echo "command failed: $*"; tail -5 "$work/last.log"; exit 1; }
  read -r wall u s kb < "$work/time.txt"
  cpu=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
  rss_mb=$(awk -v k="$kb" 'BEGIN { printf "%.1f", k / 1024 }')
}

# One line per file: path, duration (s), composer (the COMPOSER tag, else ARTIST; empty when
# untagged). Every track carries the same ALBUM tag, so the composer is the grouping.
describe_tracks() { # DIR
  local f
  for f in "$1"/*; do
    [[ -f "$f" ]] || continue
    ffprobe -v error -show_entries format=duration:stream_tags:format_tags -of default=nw=1 "$f" |
      awk -v path="$f" -F= '
        tolower($1) == "duration" { d = $2 }
        tolower($1) == "tag:composer" && c == "" { c = $2 }
        tolower($1) == "tag:artist" && a == "" { a = $2 }
        END { printf "%s\t%s\t%s\n", path, d, (c != "" ? c : a) }'
  done
}

# The second corpus: a folder of symbolic links to the soundtracks' files (both analysers read
# one folder; nothing is copied) and its groups, "link<TAB>group" per file, from the manifest.
make_soundtracks_corpus() { # MANIFEST DIR GROUPS_OUT
  local manifest="$1" dir="$2" out="$3" n=0 folder group f link g
  rm -rf "$dir"
  mkdir -p "$dir"
  : > "$out"
  while IFS=$'\t' read -r folder group; do
    [[ -z "$folder" || "$folder" == \#* ]] && continue
    n=$((n + 1))
    [[ -d "$folder" ]] || die "no folder $folder (bench/analysis/soundtracks.tsv)"
    for f in "$folder"/*.ogg "$folder"/*.opus; do
      [[ -f "$f" ]] || continue
      link="$dir/$n-$(basename "$f" | tr ' ' _)"
      ln -s "$f" "$link"
      g="$group"
      [[ "$g" == ALBUM ]] && g=$(ffprobe -v error -show_entries format_tags=album:stream_tags=album \
        -of default=nw=1:nk=1 "$f" | head -1)
      printf '%s\t%s\n' "$link" "$g" >> "$out"
    done
  done < "$manifest"
}

# This core against a Pi 4 core: sysbench's single-thread events per CPU-second here (CPU time,
# so that other work on the machine does not count) over the published Pi 4 figure.
pi_factor() {
  if [[ -n "${BENCH_PI_FACTOR:-}" ]]; then
    echo "$BENCH_PI_FACTOR"
    return
  fi
  local events u s
  /usr/bin/time -f "%U %S" -o "$work/sysbench-time.txt" sysbench cpu --threads=1 --time=10 run \
    >"$work/sysbench.txt" 2>&1
  events=$(awk '/total number of events/ { print $NF }' "$work/sysbench.txt")
  read -r u s < "$work/sysbench-time.txt"
  awk -v e="$events" -v u="$u" -v s="$s" -v pi="$PI4_SYSBENCH_EVENTS_S" 'BEGIN {
    printf "%.2f", e / (u + s) / pi }'
}

bench_analysis() {
  local t_start=$SECONDS music="${BENCH_MUSIC_DIR:-$WESNOTH_MUSIC}"
  mkdir -p "$work"
  ensure_analysis_packages
  [[ -d "$music" ]] || die "no music in $music"
  build_tools sonique-bench-analysis
  local cargo="${CARGO:-$(command -v cargo || echo /root/.cargo/bin/cargo)}" t0=$SECONDS
  CARGO_TARGET_DIR="$build/bliss-target" "$cargo" build --release --locked -q \
    --manifest-path "$root/bench/analysis/bliss/Cargo.toml" || die "bliss did not build"
  echo "build: Sonique's bench tool and bliss ($((SECONDS - t0)) s for cargo)"
  local factor
  factor=$(pi_factor)

  echo "== corpus 1: $music (grouped by COMPOSER, else ARTIST)"
  describe_tracks "$music" > "$work/tracks.tsv"
  cut -f1,3 "$work/tracks.tsv" > "$work/groups.tsv"
  bench_corpus "$music" "$work/groups.tsv" "$factor" whole "same composer in 10 nearest"
  if [[ -z "${BENCH_MUSIC_DIR:-}" && "${BENCH_SOUNDTRACKS:-1}" != 0 ]]; then
    echo "== corpus 2: game soundtracks (bench/analysis/soundtracks.tsv, grouped by album)"
    make_soundtracks_corpus "$root/bench/analysis/soundtracks.tsv" "$work/soundtracks" \
      "$work/groups.tsv"
    describe_tracks "$work/soundtracks" > "$work/tracks.tsv"
    bench_corpus "$work/soundtracks" "$work/groups.tsv" "$factor" excerpt-only \
      "same album in 10 nearest"
  fi
  echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); benchmark $((SECONDS - t_start)) s"
}

# Both analysers on one folder ($work/tracks.tsv describes it), the figures beside the targets.
# WHOLE = whole also runs Sonique on whole tracks (no target; the excerpt's share of quality).
bench_corpus() { # DIR GROUPS PI_FACTOR WHOLE QUALITY_LABEL
  local music="$1" groups="$2" factor="$3" whole="$4" label="$5"
  local bliss="$build/bliss-target/release/bliss-folder"
  local n audio
  n=$(wc -l < "$work/tracks.tsv")
  audio=$(awk -F'\t' '{ s += $2 } END { printf "%.1f", s }' "$work/tracks.tsv")
  cat "$music"/* > /dev/null  # the page cache holds every file for both analysers
  echo "files: $n tracks of $music, $audio s of audio; $threads workers/threads each; $(nproc) cores"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

  measure_analyser "$work/sonique.tsv" "$build/bench/sonique-bench-analysis" "$music" "$threads"
  local s_wall=$wall s_cpu=$cpu s_rss=$rss_mb
  local s_analysed
  s_analysed=$(awk -F'\t' '{ s += $2 } END { printf "%.1f", s }' "$work/sonique.tsv")
  tail -1 "$work/last.log"
  local s_excerpt
  s_excerpt=$(sed -nE 's/.*excerpt ([0-9]+) s$/\1/p' "$work/last.log" | tail -1)
  measure_analyser "$work/bliss.tsv" "$bliss" "$music" "$threads"
  local b_wall=$wall b_cpu=$cpu b_rss=$rss_mb
  grep -h "failed" "$work/last.log" || true
  local w_cpu=0 whole_arg=()
  if [[ "$whole" == whole ]]; then
    # Not a target: the same analyser on whole tracks, to tell the excerpt's share of the quality.
    measure_analyser "$work/sonique-whole.tsv" "$build/bench/sonique-bench-analysis" "$music" \
      "$threads" 0
    w_cpu=$cpu
    whole_arg=("whole=$work/sonique-whole.tsv")
  fi
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

  local quality
  quality="$(python3 "$root/bench/analysis/quality.py" "$groups" 10 \
    "sonique=$work/sonique.tsv" "bliss=$work/bliss.tsv" "${whole_arg[@]}")"
  awk -v n="$n" -v audio="$audio" -v sw="$s_wall" -v sc="$s_cpu" -v sr="$s_rss" \
      -v sa="$s_analysed" -v sn="$(wc -l < "$work/sonique.tsv")" -v bn="$(wc -l < "$work/bliss.tsv")" \
      -v bw="$b_wall" -v bc="$b_cpu" -v br="$b_rss" -v f="$factor" -v e="$s_excerpt" -v q="$quality" \
      -v wc="$w_cpu" -v label="$label" 'BEGIN {
    split(q, lines, "\n"); split(lines[1], qs, " "); split(lines[2], qb, " "); split(lines[3], qw, " ");
    s_core = audio / sc; b_core = audio / bc; ratio = s_core / b_core;
    printf "%-34s %14s %14s   %s\n", "figure", "Sonique", "bliss", "target";
    printf "%-34s %14d %14d\n", "tracks analysed", sn, bn;
    printf "%-34s %14.2f %14.2f\n", "wall time (s)", sw, bw;
    printf "%-34s %14.2f %14.2f\n", "CPU time (s, user + system)", sc, bc;
    printf "%-34s %14.2f %14.2f\n", "tracks/s (wall)", n / sw, n / bw;
    printf "%-34s %14.2f %14.2f\n", "tracks per CPU-second", n / sc, n / bc;
    printf "%-34s %14.1f %14.1f   Sonique >= 3x bliss: %.1fx, %s\n", "audio-s per CPU-s (per core)",
      s_core, b_core, ratio, (ratio >= 3 ? "met" : "NOT met");
    printf "%-34s %14.1f %14.1f\n", "analysed audio-s per CPU-s", sa / sc, audio / bc;
    printf "%-34s %14.1f %14.1f   Sonique < 80 MB: %s\n", "peak RSS (MB)", sr, br,
      (sr < 80 ? "met" : "NOT met");
    printf "%-34s %14.3f %14.3f   Sonique >= bliss: %s (chance %.3f, ceiling %.3f, %d tracks)\n",
      label, qs[2], qb[2], (qs[2] >= qb[2] ? "met" : "NOT met"), qs[3], qs[4], qs[5];
    # A four-minute track costs Sonique its excerpt (the production setting) at the
    # analysed-audio rate, bliss the whole track; on a Pi 4 each core is f times slower, four.
    excerpt = (e > 0 && e < 240) ? e : 240;
    s_pi = 100000 * excerpt / (sa / sc / f * 4) / 3600;
    b_pi = 100000 * 240 / (b_core / f * 4) / 3600;
    printf "%-34s %14.1f %14.1f   one night (<= 10 h), this core = %.2f Pi 4 cores\n",
      "100,000 x 4 min on a Pi 4 (h)", s_pi, b_pi, f;
    printf "%-34s %14.1f %14s   (factor 3 assumed for float/FFT code)\n", "  the same, factor 3 (h)",
      s_pi * 3 / f, sprintf("%.1f", b_pi * 3 / f);
    if (wc > 0)
      printf "Sonique on whole tracks (no target): %.1f audio-s per CPU-s, %s %.3f\n",
        audio / wc, label, qw[2] }'
}
