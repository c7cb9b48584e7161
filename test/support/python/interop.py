#!/usr/bin/python3
"""The Python side of test/integration/interop.*.test.ts: Debian's pymemcache and pylibmc against
the same memcached as the Node client. One JSON request on argv[1], one JSON answer on stdout.

Values travel as {"type": "str" | "int" | "bytes", "value": text | decimal | hex}.
"""
import hashlib
import json
import sys
import zlib

import pylibmc
from pymemcache import serde
from pymemcache.client.base import Client as PymemcacheClient


class CompressedSerde:
    """pymemcache 4's serde.CompressedSerde (zlib.compress, FLAG_COMPRESSED = 1 << 3 over the default
    serde), for Debian's pymemcache 3.5, which predates it; pymemcache's own class when present."""

    def __init__(self, min_compress_len=400):
        self.min_compress_len = min_compress_len

    def serialize(self, key, value):
        value, flags = serde.python_memcache_serializer(key, value)
        if len(value) > self.min_compress_len > 0:
            packed = zlib.compress(value)
            if len(packed) <= len(value):
                return packed, flags | (1 << 3)
        return value, flags

    def deserialize(self, key, value, flags):
        if flags & (1 << 3):
            value = zlib.decompress(value)
        return serde.python_memcache_deserializer(key, value, flags)


def compressing_serde():
    native = getattr(serde, 'CompressedSerde', None)
    return native(min_compress_len=1024) if native else CompressedSerde(min_compress_len=1024)


def big_text():
    """200 KB of hex digests: compresses to about half, so its zlib form is itself above 16 KiB."""
    return ''.join(hashlib.md5(str(i).encode()).hexdigest() for i in range(6400))


def pack(value):
    if isinstance(value, bool):
        return {'type': 'bool', 'value': value}
    if isinstance(value, int):
        return {'type': 'int', 'value': str(value)}
    if isinstance(value, str):
        return {'type': 'str', 'value': value}
    if isinstance(value, bytes):
        return {'type': 'bytes', 'value': value.hex()}
    if value is None:
        return None
    return {'type': type(value).__name__, 'value': repr(value)}


def unpack(packed):
    kind, value = packed['type'], packed['value']
    return {'str': str, 'int': int, 'bytes': bytes.fromhex}[kind](value)


def client(name, servers, behaviors=None):
    if name == 'pymemcache':
        host, port = servers[0].rsplit(':', 1)
        return PymemcacheClient((host, int(port)), serde=compressing_serde())
    return pylibmc.Client(servers, behaviors=behaviors or {})


def main(request):
    op = request['op']
    mc = client(request['client'], request['servers'], request.get('behaviors'))
    if op == 'big-text':
        return big_text()
    if op == 'write':
        for key, packed in request['items'].items():
            value = big_text() if packed == 'big-text' else unpack(packed)
            if request['client'] == 'pylibmc':
                ok = mc.set(key, value, min_compress_len=1024)
            else:
                ok = mc.set(key, value, noreply=False)
            assert ok, key
        return True
    if op == 'read':
        return {key: pack(mc.get(key)) for key in request['keys']}
    if op == 'incr':
        return mc.incr(request['key'], request['delta'])
    if op == 'write-pickle':
        assert mc.set(request['key'], {'a': [1, 2]}, noreply=False)
        return True
    if op == 'write-keys':
        for key in request['keys']:
            assert mc.set(key, 'from-python:' + key), key
        return True
    if op == 'found-keys':
        got = mc.get_multi(request['keys'])
        return sorted(k for k, v in got.items() if v is not None)
    raise ValueError(op)


if __name__ == '__main__':
    print(json.dumps(main(json.loads(sys.argv[1]))))
