"""The DLNA media server seen by a real UPnP client (async-upnp-client), run by
test_dlna_net_e2e inside the client's network namespace. It starts `sonique serve` in the
server's namespace (so that it hears the first ssdp:alive), then checks: the alive NOTIFYs,
M-SEARCH answers for ssdp:all and for each type with LOCATION on the server's interface address;
the description read by the library, every top container browsed to its end in pages of 2,
searches by artist and by title, a track's res and its first bytes fetched with a Range; GENA
through the library's own event handler and by hand (the initial event, SEQ, renewal), a change
event with a higher SystemUpdateID and the changed containers' ContainerUpdateIDs after a rescan
that adds a file, Browse's UpdateID equal to the evented one; and ssdp:byebye on SIGTERM.
Prints one line per fact; exits 1 at the first failure.
"""
import argparse
import asyncio
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import aiohttp
from aiohttp import web
from async_upnp_client.advertisement import SsdpAdvertisementListener
from async_upnp_client.aiohttp import AiohttpNotifyServer, AiohttpRequester
from async_upnp_client.client_factory import UpnpFactory
from async_upnp_client.profiles.dlna import DmsDevice
from async_upnp_client.search import async_search

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "client"))
import crawl as tree  # noqa: E402  (tests/dlna/client/crawl.py: paging and the walk)

TOP = ["Artists", "Album Artists", "Albums", "Genres", "Folders", "Playlists", "All Tracks",
       "Recently Added"]

MEDIA_SERVER = "urn:schemas-upnp-org:device:MediaServer:1"
CONTENT_DIRECTORY = "urn:schemas-upnp-org:service:ContentDirectory:1"
CONNECTION_MANAGER = "urn:schemas-upnp-org:service:ConnectionManager:1"
GROUP = ("239.255.255.250", 1900)


def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what, flush=True)
    if not ok:
        raise SystemExit(1)


async def wait_until(predicate, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        await asyncio.sleep(0.05)
    return predicate()


async def main(args):
    uuid = None
    alive, byebye = [], []

    def on_alive(h):
        alive.append(dict(h.items()))

    def on_byebye(h):
        byebye.append(dict(h.items()))

    listener = SsdpAdvertisementListener(
        on_alive=on_alive, on_byebye=on_byebye, source=(args.local, 0), target=GROUP
    )
    await listener.async_start()
    log = open(args.server_log, "wb")
    server = subprocess.Popen(args.serve, stdout=log, stderr=subprocess.STDOUT)
    with open(args.pid_file, "w") as f:
        f.write(str(server.pid))
    try:
        # 1. The first ssdp:alive round: all five types, LOCATION on the server's address.
        got = await wait_until(lambda: len({a.get("NT") for a in alive}) >= 5, 30)
        check(got, "ssdp:alive received for 5 notification types: %s"
              % sorted({a.get("NT") for a in alive}))
        root = [a for a in alive if a.get("NT") == "upnp:rootdevice"][0]
        uuid = re.match(r"uuid:([0-9a-f-]{36})::upnp:rootdevice", root["USN"]).group(1)
        location = root["LOCATION"]
        check(location == "http://%s:%d/dlna/description.xml" % (args.server, args.port),
              "alive LOCATION is the server's interface address: " + location)
        check(re.match(r"max-age=\d+", root.get("CACHE-CONTROL", "")) is not None,
              "alive has CACHE-CONTROL " + root.get("CACHE-CONTROL", ""))
        check(uuid == args.uuid, "USN carries the device UUID kept in the data directory")
        nts = {a["NT"]: a["USN"] for a in alive}
        check(nts.get("uuid:" + uuid) == "uuid:" + uuid, "the uuid's USN is the bare uuid")
        check(nts.get(MEDIA_SERVER) == "uuid:%s::%s" % (uuid, MEDIA_SERVER),
              "MediaServer:1 announced")

        # 2. M-SEARCH ssdp:all: the five answers, unicast, within MX.
        answers = []

        async def on_answer(h):
            answers.append(dict(h.items()))

        started = time.monotonic()
        await async_search(on_answer, timeout=2, search_target="ssdp:all",
                           source=(args.local, 0), target=GROUP)
        sts = sorted({a.get("ST") for a in answers if uuid in a.get("USN", "")})
        check(len(sts) == 5, "M-SEARCH ssdp:all answered for: %s" % sts)
        check(all(a.get("LOCATION") == location for a in answers),
              "every answer's LOCATION is the interface address")
        check(time.monotonic() - started < 4, "answers within MX")
        for st in ["upnp:rootdevice", "uuid:" + uuid, MEDIA_SERVER, CONTENT_DIRECTORY,
                   CONNECTION_MANAGER]:
            one = []

            async def on_one(h, one=one):
                one.append(dict(h.items()))

            await async_search(on_one, timeout=1, search_target=st, source=(args.local, 0),
                               target=GROUP)
            mine = [a for a in one if uuid in a.get("USN", "")]
            check(len(mine) >= 1 and all(a.get("ST") == st for a in mine),
                  "M-SEARCH %s answered with that ST" % st)
        none = []

        async def on_none(h):
            none.append(h)

        await async_search(on_none, timeout=1,
                           search_target="urn:schemas-upnp-org:device:MediaRenderer:1",
                           source=(args.local, 0), target=GROUP)
        check(not [h for h in none if uuid in h.get("USN", "")],
              "M-SEARCH for a type we are not: no answer")

        async with aiohttp.ClientSession() as http:
            # 3. The description and the SCPDs, read by the library's strict parser.
            requester = AiohttpRequester()
            device = await UpnpFactory(requester).async_create_device(location)
            check(device.device_type == MEDIA_SERVER, "description: a MediaServer:1")
            check(device.udn == "uuid:" + uuid, "the description's UDN is the USN's uuid")
            notify = AiohttpNotifyServer(requester, source=(args.local, 0))
            await notify.async_start_server()
            dms = DmsDevice(device, notify.event_handler)
            await dms.async_update()
            check(dms.system_update_id is not None, "GetSystemUpdateID answered")
            event_url = device.service(CONTENT_DIRECTORY).event_sub_url
            print("info  eventSubURL " + event_url, flush=True)

            # 4. Every top container to its end, two objects a page.
            tops = await tree.children(dms, "m", 2)
            check([t.title for t in tops] == TOP, "top containers: %s" % [t.title for t in tops])
            all_titles = set()
            for top in tops:
                seen = {"ids": set(), "containers": 0, "items": 0, "titles": set()}
                await tree.crawl(dms, top.id, seen, page=2)
                want = 0 if top.title == "Playlists" else args.tracks
                # Artists, Genres and the like reach every track once; Playlists has none.
                check(seen["items"] == want,
                      "%s browsed to its end: %d items in %d containers"
                      % (top.title, seen["items"], seen["containers"]))
                all_titles |= seen["titles"]
            check(len(all_titles) == args.tracks, "every track reached: %s" % sorted(all_titles))

            # 5. Search by artist and by title.
            r = await dms.async_search_directory("0", 'upnp:artist = "%s"' % args.artist)
            found = sorted(o.title for o in r.result)
            check(found == sorted(args.artist_titles),
                  "search by artist %s: %s" % (args.artist, found))
            r = await dms.async_search_directory(
                "0", 'upnp:class derivedfrom "object.item.audioItem" and dc:title = "%s"'
                % args.title)
            check([o.title for o in r.result] == [args.title], "search by title %s" % args.title)

            # 6. The track's res, and its first bytes with a Range.
            res = r.result[0].res[0]
            check(res.protocol_info.startswith("http-get:*:audio/mpeg:DLNA.ORG_PN=MP3"),
                  "res protocolInfo " + res.protocol_info)
            check(res.uri.startswith("http://%s:%d/dlna/media/" % (args.server, args.port)),
                  "res URL on the server's interface address: " + res.uri)
            async with http.get(dms.get_absolute_url(res.uri),
                                headers={"Range": "bytes=0-511"}) as g:
                body = await g.read()
                check(g.status == 206, "Range answered %d" % g.status)
                check("DLNA.ORG_OP=01" in g.headers.get("contentFeatures.dlna.org", ""),
                      "contentFeatures.dlna.org names byte seek")
            with open(args.title_file, "rb") as f:
                check(body == f.read(512), "the first 512 bytes are the file's")

            # 7. The library's own eventing: subscribe, the initial event sets SystemUpdateID.
            lib_events = []
            dms.on_event = lambda service, variables: lib_events.append(
                {v.name: v.value for v in variables})
            await dms.async_subscribe_services()
            check(dms.is_subscribed, "async-upnp-client subscribed to the services")
            check(await wait_until(lambda: any("SystemUpdateID" in e for e in lib_events), 10),
                  "async-upnp-client got the initial event")
            lib_first = dms.system_update_id

            # 8. GENA by hand: a callback server in this namespace, SUBSCRIBE, the initial event.
            events = []

            async def on_notify(request):
                body = await request.text()
                events.append((request.headers.get("SID"), int(request.headers.get("SEQ", -1)),
                               body))
                return web.Response(status=200)

            app = web.Application()
            app.router.add_route("NOTIFY", "/cb", on_notify)
            runner = web.AppRunner(app)
            await runner.setup()
            site = web.TCPSite(runner, args.local, 0)
            await site.start()
            cb_port = site._server.sockets[0].getsockname()[1]
            async with http.request("SUBSCRIBE", event_url, headers={
                    "CALLBACK": "<http://%s:%d/cb>" % (args.local, cb_port),
                    "NT": "upnp:event", "TIMEOUT": "Second-300"}) as r:
                check(r.status == 200, "SUBSCRIBE answered %d" % r.status)
                sid = r.headers.get("SID", "")
                check(sid.startswith("uuid:"), "SUBSCRIBE gave a SID")
                check(r.headers.get("TIMEOUT") == "Second-300", "TIMEOUT granted")
            check(await wait_until(lambda: len(events) >= 1, 10), "initial event received")
            first_id = int(re.search(r"<SystemUpdateID>(\d+)</SystemUpdateID>",
                                     events[0][2]).group(1))
            check(events[0][0] == sid and events[0][1] == 0,
                  "initial event has the SID and SEQ 0 (SystemUpdateID %d)" % first_id)

            # 9. A rescan that adds a file moves SystemUpdateID; the change is evented.
            shutil.copyfile(args.new_file_src, args.new_file_dst)
            scan = subprocess.run(args.scan, capture_output=True, text=True, timeout=120)
            check(scan.returncode == 0, "rescan finished (%d) %s" % (scan.returncode,
                                                                      scan.stderr[-300:]))
            check(await wait_until(lambda: len(events) >= 2, 15), "change event received")
            new_id = int(re.search(r"<SystemUpdateID>(\d+)</SystemUpdateID>",
                                   events[1][2]).group(1))
            check(new_id > first_id and events[1][1] == 1,
                  "change event: SystemUpdateID %d -> %d, SEQ 1" % (first_id, new_id))
            check("<ContainerUpdateIDs>" in events[1][2], "change event has ContainerUpdateIDs")
            check(await wait_until(lambda: (dms.system_update_id or 0) > lib_first, 15),
                  "async-upnp-client saw SystemUpdateID %d -> %s"
                  % (lib_first, dms.system_update_id))
            # Every ContainerUpdateIDs seen since the subscription, the latest value of each
            # container (as a control point keeps them): m/all must reach the UpdateID that
            # Browse answers for it (the rescan may take more than one event).
            def evented():
                latest = {}
                for e in lib_events:
                    ids = [x for x in (e.get("ContainerUpdateIDs") or "").split(",") if x]
                    for i in range(0, len(ids) - 1, 2):
                        latest[ids[i]] = int(ids[i + 1])
                return latest

            async def browse_matches_events(ids):
                """Browse's UpdateID of each container equals its latest evented value (read
                again until then: a later write moves both)."""
                deadline = time.monotonic() + 10
                while True:
                    pages = {i: await dms.async_browse_direct_children(i, requested_count=100)
                             for i in ids}
                    latest = evented()
                    if all(latest.get(i) == p.update_id for i, p in pages.items()):
                        return pages, True
                    if time.monotonic() > deadline:
                        return pages, False
                    await asyncio.sleep(0.3)

            album = [c for c in await tree.children(dms, "m/al", 10)
                     if c.title == args.new_album][0]
            pages, got = await browse_matches_events(["m/all", album.id])
            print("info  ContainerUpdateIDs " + repr(evented()), flush=True)
            check(pages["m/all"].total_matches == args.tracks + 1,
                  "the new track is listed in All Tracks")
            check(got, "m/all and the album the new track joined (%s) evented with the UpdateIDs "
                  "Browse answers: %s" % (album.id, {i: p.update_id for i, p in pages.items()}))
            await dms.async_unsubscribe_services()
            await notify.async_stop_server()

            # Renewal keeps the SID; UNSUBSCRIBE ends it.
            async with http.request("SUBSCRIBE", event_url, headers={
                    "SID": sid, "TIMEOUT": "Second-120"}) as r:
                check(r.status == 200 and r.headers.get("SID") == sid, "renewal kept the SID")
            async with http.request("UNSUBSCRIBE", event_url, headers={"SID": sid}) as r:
                check(r.status == 200, "UNSUBSCRIBE answered 200")
            await runner.cleanup()

        # 10. SIGTERM: ssdp:byebye for every type, and a clean exit.
        byebye.clear()
        server.send_signal(signal.SIGTERM)
        got = await wait_until(lambda: len({b.get("NT") for b in byebye
                                            if uuid in b.get("USN", "")}) >= 5, 15)
        check(got, "ssdp:byebye for 5 notification types on SIGTERM")
        code = server.wait(timeout=30)
        check(code == 0, "sonique serve exited with 0")
    finally:
        await listener.async_stop()
        if server.poll() is None:
            server.kill()
            server.wait()


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--local", required=True, help="this namespace's address")
    p.add_argument("--server", required=True, help="the server namespace's address")
    p.add_argument("--port", type=int, required=True, help="the server's HTTP port")
    p.add_argument("--uuid", required=True)
    p.add_argument("--server-log", required=True)
    p.add_argument("--pid-file", required=True)
    p.add_argument("--tracks", type=int, required=True, help="how many tracks the library has")
    p.add_argument("--artist", required=True, help="an artist to search for")
    p.add_argument("--artist-titles", nargs="+", required=True, help="that artist's titles")
    p.add_argument("--title", required=True, help="a title to search for (an MP3)")
    p.add_argument("--title-file", required=True, help="the file of that title")
    p.add_argument("--new-album", required=True, help="the album the new file joins")
    p.add_argument("--new-file-src", required=True)
    p.add_argument("--new-file-dst", required=True)
    p.add_argument("--serve", nargs="+", required=True, help="the command starting the server")
    p.add_argument("--scan", nargs="+", required=True, help="the command rescanning")
    a = p.parse_args()
    asyncio.run(main(a))
