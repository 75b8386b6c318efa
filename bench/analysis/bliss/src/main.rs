//! Analyses every file of a folder with bliss-audio (FFmpeg decoder, the crate's own worker
//! threads) and prints one line per file: path, seconds of audio, then the analysis vector
//! (bliss's own normalised features), tab-separated. Failures go to stderr.
//! Usage: bliss-folder DIR THREADS
use std::num::NonZeroUsize;
use std::path::PathBuf;

use bliss_audio::decoder::ffmpeg::FFmpegDecoder;
use bliss_audio::decoder::Decoder;
use bliss_audio::AnalysisOptions;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: {} DIR THREADS", args[0]);
        std::process::exit(2);
    }
    let threads: usize = args[2].parse().expect("THREADS is a number");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&args[1])
        .expect("DIR is readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    let options = AnalysisOptions {
        number_cores: NonZeroUsize::new(threads).expect("THREADS > 0"),
        ..AnalysisOptions::default()
    };
    let mut failed = 0;
    for (path, result) in FFmpegDecoder::analyze_paths_with_options(paths, options) {
        match result {
            Ok(song) => {
                let v: Vec<String> = song.analysis.as_vec().iter().map(|x| x.to_string()).collect();
                println!("{}\t{:.3}\t{}", path.display(), song.duration.as_secs_f64(), v.join(","));
            }
            Err(e) => {
                failed += 1;
                eprintln!("{}: {}", path.display(), e);
            }
        }
    }
    if failed > 0 {
        eprintln!("{failed} file(s) failed");
    }
}
