"""Full-library sync as clients do it: search3 with an empty query, SONGS songs a page, from
offset 0 until a page comes back short. One keep-alive connection, pages one after the other.

    python3 sync.py BASE_URL AUTH_QUERY [SONGS]     e.g. http://127.0.0.1:8001 'u=x&t=..&s=..'

Prints "<seconds> <songs> <pages>" on stdout; exits 1 on an error answer.
"""
import http.client
import json
import sys
import time
import urllib.parse


def main():
    base, auth = sys.argv[1], sys.argv[2]
    per_page = int(sys.argv[3]) if len(sys.argv) > 3 else 500
    url = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    songs = pages = 0
    start = time.monotonic()
    while True:
        path = (f"/rest/search3.view?{auth}&v=1.16.1&c=bench&f=json&query=&artistCount=0"
                f"&albumCount=0&songCount={per_page}&songOffset={songs}")
        conn.request("GET", path)
        answer = json.loads(conn.getresponse().read())["subsonic-response"]
        if answer.get("status") != "ok":
            sys.exit(f"search3 failed at offset {songs}: {answer.get('error')}")
        page = answer.get("searchResult3", {}).get("song", [])
        songs += len(page)
        pages += 1
        if len(page) < per_page:
            break
    print(f"{time.monotonic() - start:.3f} {songs} {pages}")


if __name__ == "__main__":
    main()
