"""The DLNA benchmark's client (scripts/bench.sh dlna): one UPnP control point, the same for every
server. It reads the device description, finds ContentDirectory's control URL, then walks the
whole tree with BrowseDirectChildren from object 0, PAGE children a request, every container to
the end its TotalMatches gives, counting containers and items.

  crawl.py crawl DESCRIPTION_URL PAGE REQUESTS_FILE
      one client, one keep-alive connection, one request at a time (depth first). Prints one JSON
      object: containers, items, requests, seconds (wall), Browse latency p50/p99/max in ms, the
      same per top container (the first two levels of the object id), the slowest requests, and
      the containers whose answer broke the paging contract (NumberReturned against the page,
      TotalMatches changing while paging). Writes every (object id, starting index) asked to
      REQUESTS_FILE for the replay.
  crawl.py summary NAME CRAWL_JSON
      the crawl's figures per top container, its slowest requests and its paging problems, as
      text lines for the benchmark's report.
  crawl.py replay DESCRIPTION_URL PAGE REQUESTS_FILE CLIENTS SAMPLE
      CLIENTS threads, each with its own connection, share SAMPLE requests drawn (seeded) from
      REQUESTS_FILE and send them as fast as answers come. Prints p50/p99/max and requests/s.

A request's latency is from sending the POST to the last byte of the answer (connection setup
included when the server closed the previous one, as minidlna does); parsing the DIDL-Lite is the
client's own time and counts in the crawl's wall time only. Plain http.client and ElementTree
from the standard library: no client-side cache, no XML schema, the least client overhead.
"""
import http.client
import json
import random
import sys
import threading
import time
import urllib.parse
import xml.etree.ElementTree as ET

CDS = "urn:schemas-upnp-org:service:ContentDirectory:1"
DIDL = "{urn:schemas-upnp-org:metadata-1-0/DIDL-Lite/}"
DEVICE = "{urn:schemas-upnp-org:device-1-0}"


def control_url(description_url):
    """The absolute control URL of ContentDirectory:1 named in the device description."""
    parts = urllib.parse.urlsplit(description_url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    conn.request("GET", parts.path or "/")
    r = conn.getresponse()
    body = r.read()
    conn.close()
    if r.status != 200:
        sys.exit(f"{description_url}: HTTP {r.status}")
    root = ET.fromstring(body)
    base = root.findtext(f"{DEVICE}URLBase") or description_url
    for service in root.iter(f"{DEVICE}service"):
        if service.findtext(f"{DEVICE}serviceType") == CDS:
            return urllib.parse.urljoin(base, service.findtext(f"{DEVICE}controlURL").strip())
    sys.exit(f"{description_url}: no {CDS}")


def envelope(object_id, start, count):
    oid = object_id.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" '
        's:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body>'
        f'<u:Browse xmlns:u="{CDS}"><ObjectID>{oid}</ObjectID>'
        "<BrowseFlag>BrowseDirectChildren</BrowseFlag><Filter>*</Filter>"
        f"<StartingIndex>{start}</StartingIndex><RequestedCount>{count}</RequestedCount>"
        "<SortCriteria></SortCriteria></u:Browse></s:Body></s:Envelope>"
    ).encode()


class Client:
    """One control point connection; reconnects when the server closed it."""

    def __init__(self, url):
        self.parts = urllib.parse.urlsplit(url)
        self.conn = None

    def browse(self, object_id, start, count):
        """Returns (seconds, status, body) of one BrowseDirectChildren."""
        body = envelope(object_id, start, count)
        headers = {"Content-Type": 'text/xml; charset="utf-8"',
                   "SOAPACTION": f'"{CDS}#Browse"', "Content-Length": str(len(body))}
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.parts.hostname, self.parts.port,
                                                       timeout=60)
            t0 = time.perf_counter()
            try:
                self.conn.request("POST", self.parts.path, body, headers)
                r = self.conn.getresponse()
                answer = r.read()
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
                continue
            elapsed = time.perf_counter() - t0
            if r.getheader("Connection", "").lower() == "close" or r.will_close:
                self.conn.close()
                self.conn = None
            return elapsed, r.status, answer


def parse(answer):
    """(children [(is_container, id)], number_returned, total_matches) of a Browse answer."""
    env = ET.fromstring(answer)
    result = number = total = None
    for el in env.iter():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "Result":
            result = el.text or ""
        elif tag == "NumberReturned":
            number = int(el.text)
        elif tag == "TotalMatches":
            total = int(el.text)
    if result is None or number is None or total is None:
        raise ValueError("not a Browse answer: " + answer[:300].decode(errors="replace"))
    children = []
    if result.strip():
        for el in ET.fromstring(result):
            if el.tag == f"{DIDL}container":
                children.append((True, el.get("id")))
            elif el.tag == f"{DIDL}item":
                children.append((False, el.get("id")))
    return children, number, total


def percentile(values, p):
    if not values:
        return 0.0
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def group_of(object_id):
    """The top container an object is under: two levels of its id (Sonique's "m/ar",
    minidlna's "1$6")."""
    for sep in ("/", "$"):
        if sep in object_id:
            return sep.join(object_id.split(sep)[:2])
    return object_id


def crawl(url, page, requests_file):
    client = Client(control_url(url))
    counts = {"containers": 0, "items": 0}
    latencies, asked, slowest, problems = [], [], [], []
    by_group = {}
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    answer_bytes = 0
    stack = ["0"]
    while stack:
        object_id = stack.pop()
        start, total_seen = 0, None
        while True:
            seconds, status, answer = client.browse(object_id, start, page)
            if status != 200:
                problems.append(f"{object_id} at {start}: HTTP {status}")
                break
            answer_bytes += len(answer)
            children, number, total = parse(answer)
            ms = seconds * 1000
            latencies.append(ms)
            by_group.setdefault(group_of(object_id), []).append(ms)
            asked.append([object_id, start])
            slowest.append((ms, object_id, start, total))
            if len(slowest) > 64:
                slowest.sort(reverse=True)
                del slowest[10:]
            if number != len(children):
                problems.append(f"{object_id} at {start}: NumberReturned {number}, "
                                f"{len(children)} objects")
            if total_seen is not None and total != total_seen:
                problems.append(f"{object_id} at {start}: TotalMatches {total_seen} then {total}")
            total_seen = total
            for is_container, child in children:
                if is_container:
                    counts["containers"] += 1
                    stack.append(child)
                else:
                    counts["items"] += 1
            start += len(children)
            # The end: an empty page, or TotalMatches reached; a TotalMatches of 0 beside a full
            # page (minidlna's root) is not believed.
            full_page_past_zero = total == 0 and len(children) == page
            if not children or (start >= total and not full_page_past_zero):
                if start != total:
                    problems.append(f"{object_id}: ended at {start} of {total}")
                break
            if len(children) < min(page, total - (start - len(children))):
                problems.append(f"{object_id} at {start - len(children)}: {len(children)} of "
                                f"{page} asked")
    wall = time.perf_counter() - t0
    client_cpu = time.process_time() - cpu0
    with open(requests_file, "w") as f:
        json.dump(asked, f)
    slowest.sort(reverse=True)
    print(json.dumps({
        **counts,
        "requests": len(latencies),
        "seconds": round(wall, 3),
        # Where the wall time went: waiting for answers (the latencies' sum) and the client's
        # own time between them (parsing the DIDL, choosing the next request), its CPU, and
        # the bytes it read (its parsing grows with them).
        "latency_s": round(sum(latencies) / 1000, 3),
        "client_s": round(wall - sum(latencies) / 1000, 3),
        "client_cpu_s": round(client_cpu, 3),
        "answer_mb": round(answer_bytes / 1e6, 1),
        "p50_ms": round(percentile(latencies, 50), 2),
        "p99_ms": round(percentile(latencies, 99), 2),
        "max_ms": round(max(latencies, default=0), 2),
        "groups": {g: {"requests": len(v), "p50_ms": round(percentile(v, 50), 2),
                       "p99_ms": round(percentile(v, 99), 2), "max_ms": round(max(v), 2)}
                   for g, v in sorted(by_group.items())},
        "slowest": [{"ms": round(ms, 1), "id": oid, "start": start, "total": total}
                    for ms, oid, start, total in slowest[:5]],
        "problems": problems[:20],
        "problem_count": len(problems),
    }))


def replay(url, page, requests_file, clients, sample):
    control = control_url(url)
    with open(requests_file) as f:
        asked = json.load(f)
    rng = random.Random(19)
    work = [asked[rng.randrange(len(asked))] for _ in range(sample)]
    lock = threading.Lock()
    latencies, errors = [], [0]

    def worker():
        client = Client(control)
        mine = []
        while True:
            with lock:
                if not work:
                    break
                object_id, start = work.pop()
            try:
                seconds, status, _ = client.browse(object_id, start, page)
            except (OSError, http.client.HTTPException):
                status, seconds = 0, 0
            if status == 200:
                mine.append(seconds * 1000)
            else:
                with lock:
                    errors[0] += 1
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    print(json.dumps({
        "clients": clients, "requests": len(latencies), "errors": errors[0],
        "seconds": round(wall, 3), "per_s": round(len(latencies) / wall, 1),
        "p50_ms": round(percentile(latencies, 50), 2),
        "p99_ms": round(percentile(latencies, 99), 2),
        "max_ms": round(max(latencies, default=0), 2),
    }))


def summary(name, crawl_json):
    with open(crawl_json) as f:
        d = json.load(f)
    print(f"{name}: Browse by top container (requests, p50 / p99 / max ms; 20 requests or more):")
    small = 0
    for g, v in d["groups"].items():
        if v["requests"] < 20:
            small += 1
            continue
        print(f"  {g:10} {v['requests']:6} {v['p50_ms']:8} {v['p99_ms']:8} {v['max_ms']:9}")
    if small:
        print(f"  ({small} containers with fewer requests left out)")
    print(f"{name}: slowest requests: " + "; ".join(
        f"{s['id']} at {s['start']} of {s['total']}: {s['ms']} ms" for s in d["slowest"]))
    print(f"{name}: paging problems: {d['problem_count']}" +
          "".join(f"\n  {p}" for p in d["problems"][:5]))


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "crawl":
        crawl(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    elif len(sys.argv) == 4 and sys.argv[1] == "summary":
        summary(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 7 and sys.argv[1] == "replay":
        replay(sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5]), int(sys.argv[6]))
    else:
        sys.exit(__doc__)
