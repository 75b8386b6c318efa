"""A real UPnP client against Sonique's media server: async-upnp-client (pinned in
tests/dlna/client/requirements.txt) reads the description and the SCPDs, browses every container
to its end, searches by artist and title, reads a track's res and fetches its first bytes with a
Range. Prints one JSON object of what it saw; exits non-zero on the first wrong answer.

Usage: crawl.py <description URL> <path of the file behind the track titled "Moon">
"""
import asyncio
import json
import sys

import aiohttp
from async_upnp_client.aiohttp import AiohttpRequester
from async_upnp_client.client_factory import UpnpFactory
from async_upnp_client.profiles.dlna import DmsDevice
from didl_lite import didl_lite


def check(condition, message):
    if not condition:
        raise AssertionError(message)


async def children(dms, object_id, page):
    """Every child of a container, `page` at a time, as TotalMatches says."""
    out = []
    start = 0
    while True:
        r = await dms.async_browse_direct_children(object_id, starting_index=start,
                                                   requested_count=page)
        check(r.number_returned == len(r.result), f"{object_id}: NumberReturned")
        out.extend(r.result)
        start += r.number_returned
        if r.number_returned == 0 or start >= r.total_matches:
            check(start == r.total_matches, f"{object_id}: {start} of {r.total_matches}")
            return out


async def crawl(dms, object_id, seen, depth=0, page=3):
    check(depth < 8, f"too deep at {object_id}")
    for obj in await children(dms, object_id, page):
        check(obj.parent_id == object_id, f"{obj.id}: parent {obj.parent_id}")
        check(obj.id not in seen["ids"], f"duplicate id {obj.id}")
        seen["ids"].add(obj.id)
        if isinstance(obj, didl_lite.Container):
            seen["containers"] += 1
            await crawl(dms, obj.id, seen, depth + 1, page)
        else:
            seen["items"] += 1
            seen["titles"].add(obj.title)


async def main(url, moon_file):
    async with aiohttp.ClientSession() as session:
        requester = AiohttpRequester()
        device = await UpnpFactory(requester).async_create_device(url)
        check(device.device_type == "urn:schemas-upnp-org:device:MediaServer:1", "device type")
        dms = DmsDevice(device, None)
        await dms.async_update()
        report = {"friendly_name": device.name, "system_update_id": dms.system_update_id,
                  "search_caps": dms.search_capabilities, "sort_caps": dms.sort_capabilities}

        root = await dms.async_browse_metadata("0")
        check(root.id == "0" and root.parent_id == "-1", "root")
        tops = await children(dms, "m", 100)
        report["top"] = [c.title for c in tops]
        seen = {"ids": set(), "containers": 0, "items": 0, "titles": set()}
        await crawl(dms, "0", seen)
        report["containers"] = seen["containers"]
        report["items"] = seen["items"]
        report["titles"] = sorted(seen["titles"])

        by_artist = await dms.async_search_directory("0", 'upnp:artist contains "ben"')
        report["search_artist"] = sorted(o.title for o in by_artist.result)
        by_title = await dms.async_search_directory(
            "0", 'upnp:class derivedfrom "object.item.audioItem" and dc:title contains "oon"')
        report["search_title"] = sorted(o.title for o in by_title.result)

        moon = by_artist.result[0]
        res = moon.res[0]
        report["protocol_info"] = res.protocol_info
        report["duration"] = res.duration
        async with session.get(dms.get_absolute_url(res.uri),
                               headers={"Range": "bytes=0-511"}) as r:
            body = await r.read()
            report["range_status"] = r.status
            report["content_features"] = r.headers.get("contentFeatures.dlna.org")
        with open(moon_file, "rb") as f:
            check(body == f.read(512), "the first bytes differ from the file's")
        report["range_bytes"] = len(body)
        print(json.dumps(report))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
