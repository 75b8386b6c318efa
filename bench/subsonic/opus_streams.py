"""Concurrent transcoded streams: N clients each read `stream?format=opus` for SECONDS as fast
as the server sends it, and each one's audio is measured by the Ogg pages' granule positions
(48 kHz for Opus): a stream keeps real time when the audio it received covers at least the
wall time it took.

    python3 opus_streams.py URL N SECONDS

Prints "<min ratio> <median ratio> <failed>" where ratio = audio seconds / wall seconds per
stream (a stream whose answer is not audio/ogg, or that ends with an error, counts as failed).
"""
import statistics
import sys
import threading
import time
import urllib.request


def last_granule(buffer):
    """The granule position of the last complete Ogg page header in buffer, or None."""
    at = buffer.rfind(b"OggS")
    while at >= 0:
        if at + 14 <= len(buffer):
            granule = int.from_bytes(buffer[at + 6:at + 14], "little", signed=True)
            if granule >= 0:
                return granule
        at = buffer.rfind(b"OggS", 0, at)
    return None


def one(url, seconds, results, index):
    start = time.monotonic()
    granule, tail = 0, b""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            if not response.headers.get("Content-Type", "").startswith("audio/ogg"):
                results[index] = None
                return
            while time.monotonic() - start < seconds:
                chunk = response.read(16384)
                if not chunk:
                    break
                tail = (tail + chunk)[-65536:]
                found = last_granule(tail)
                if found is not None:
                    granule = found
    except Exception:
        results[index] = None
        return
    elapsed = time.monotonic() - start
    results[index] = (granule / 48000.0) / elapsed if elapsed > 0 else 0.0


def main():
    url, n, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    results = [None] * n
    threads = [threading.Thread(target=one, args=(url, seconds, results, i)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ok = [r for r in results if r is not None]
    failed = n - len(ok)
    if not ok:
        print(f"0 0 {failed}")
        return
    print(f"{min(ok):.2f} {statistics.median(ok):.2f} {failed}")


if __name__ == "__main__":
    main()
