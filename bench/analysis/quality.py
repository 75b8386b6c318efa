#!/usr/bin/env python3
"""The quality figure of `scripts/bench.sh analysis` (bench/README.md).

For each track, the share of its K nearest neighbours (Euclidean distance on the analyser's own
vectors) that belong to the same group, averaged over the tracks; beside it the chance level
(a random K other tracks: (n_group - 1) / (N - 1) on average) and the ceiling (a track with
fewer than K group mates cannot reach 1). Only tracks that have a group and that every analyser
analysed take part, so the analysers are judged on the same set.

Usage: quality.py GROUPS K NAME=VECTORS [NAME=VECTORS...]
  GROUPS: lines "path<TAB>group"; VECTORS: lines "path<TAB>seconds<TAB>v1,v2,...".
Prints one line per analyser: "NAME share chance ceiling tracks".
"""
import math
import sys


def read_vectors(path):
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 3:
                out[parts[0]] = [float(x) for x in parts[2].split(",")]
    return out


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    groups = {}
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            path, _, group = line.rstrip("\n").partition("\t")
            if group:
                groups[path] = group
    k = int(sys.argv[2])
    analysers = [arg.split("=", 1) for arg in sys.argv[3:]]
    vectors = {name: read_vectors(path) for name, path in analysers}
    tracks = sorted(p for p in groups if all(p in v for v in vectors.values()))
    n = len(tracks)
    if n <= k:
        sys.exit(f"only {n} tracks have a group and every analyser's vector")
    size = {}
    for p in tracks:
        size[groups[p]] = size.get(groups[p], 0) + 1
    chance = sum((size[groups[p]] - 1) / (n - 1) for p in tracks) / n
    ceiling = sum(min(size[groups[p]] - 1, k) / k for p in tracks) / n
    for name, _ in analysers:
        vec = vectors[name]
        total = 0.0
        for p in tracks:
            others = sorted((math.dist(vec[p], vec[q]), q) for q in tracks if q != p)
            total += sum(groups[q] == groups[p] for _, q in others[:k]) / k
        print(f"{name} {total / n:.3f} {chance:.3f} {ceiling:.3f} {n}")


if __name__ == "__main__":
    main()
