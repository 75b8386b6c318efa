"""Prints a JSON body for POST /api/covers/ holding a 600x600 PNG (made here, no dependency)."""
import base64, json, struct, sys, zlib

def png(width, height):
    raw = bytearray()
    for y in range(height):
        raw.append(0)
        for x in range(width):
            raw += bytes((x * 255 // width, y * 255 // height, 128))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(bytes(raw))) + chunk(b"IEND", b"")

entity_id = int(sys.argv[1]) if len(sys.argv) > 1 else 1
print(json.dumps({"entity_type": "artist", "entity_id": entity_id,
                  "cover_data": "data:image/png;base64," + base64.b64encode(png(600, 600)).decode()}))
