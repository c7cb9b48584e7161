#!/usr/bin/env python3
"""Writes ketama.json and modula.json: key -> server vectors from independent implementations.

Dev-only, run by hand (CI only reads the JSON). Needs Debian's libmemcached11 (as pylibmc and
php-memcached load it) and Python 3:
    apt-get install libmemcached11 && python3 test/vectors/generate.py
- ketama: libmemcached itself, through ctypes, with MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED
  (pylibmc's 'ketama_weighted', php-memcached's OPT_LIBKETAMA_COMPATIBLE); memcached_generate_hash
  answers the index of the server a key goes to, without connecting.
- modula: Python's zlib.crc32(key) % n, the CRC-32/IEEE of Go's crc32.ChecksumIEEE that gomemcache
  uses.
"""
import ctypes
import json
import os
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED = 16  # libmemcached-1.0/types/behavior.h

lib = ctypes.CDLL('libmemcached.so.11')
lib.memcached_create.restype = ctypes.c_void_p
lib.memcached_create.argtypes = [ctypes.c_void_p]
lib.memcached_free.argtypes = [ctypes.c_void_p]
lib.memcached_server_add_with_weight.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_ushort, ctypes.c_uint32]
lib.memcached_behavior_set.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_uint64]
lib.memcached_generate_hash.restype = ctypes.c_uint32
lib.memcached_generate_hash.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t]
lib.memcached_lib_version.restype = ctypes.c_char_p


def libmemcached_owners(servers, keys):
    mc = lib.memcached_create(None)
    try:
        for s in servers:
            rc = lib.memcached_server_add_with_weight(mc, s['host'].encode(), s['port'], s['weight'])
            assert rc == 0, rc
        assert lib.memcached_behavior_set(mc, MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED, 1) == 0
        return [lib.memcached_generate_hash(mc, k.encode(), len(k.encode())) for k in keys]
    finally:
        lib.memcached_free(mc)


def server(host, port=11211, weight=1):
    return {'host': host, 'port': port, 'weight': weight}


KEYS = (
    ['foo', 'bar', 'baz', 'user:1', 'user:2', 'session:abcdef', 'héllo', '日本語キー', 'k' * 250]
    + ['key%d' % i for i in range(200)]
    + ['user:%d:profile' % (i * 7919) for i in range(100)]
)

RINGS = [
    ('two servers on the default port (hashed as "host-i")', [server('10.0.1.1'), server('10.0.1.2')]),
    ('three servers on the default port', [server('10.0.1.1'), server('10.0.1.2'), server('10.0.1.3')]),
    ('three ports on one host (11211 hashed as "host-i", others as "host:port-i")',
     [server('127.0.0.1', 11211), server('127.0.0.1', 11212), server('127.0.0.1', 11213)]),
    ('names, not addresses, with weights 1, 2 and 5',
     [server('cache-a.example'), server('cache-b.example', 11211, 2), server('cache-c.example', 11311, 5)]),
    ('seven equal servers (float rounding gives 40 groups each, double would give 39)',
     [server('10.0.2.%d' % i, 11211 + i) for i in range(1, 8)]),
    ('twenty-five equal servers (float rounding gives 39 groups each, double would give 40)',
     [server('10.0.3.%d' % i) for i in range(1, 26)]),
    ('IPv6 hosts, hashed without brackets', [server('::1', 11211), server('::1', 11212), server('fe80::2', 11211)]),
]


def main():
    ketama = {
        'generator': 'libmemcached %s, MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED, memcached_generate_hash'
        % lib.memcached_lib_version().decode(),
        'keys': KEYS,
        'rings': [
            {'name': name, 'servers': servers, 'owners': libmemcached_owners(servers, KEYS)}
            for name, servers in RINGS
        ],
    }
    modula = {
        'generator': 'Python zlib.crc32(key UTF-8) % n',
        'keys': KEYS,
        'owners': {str(n): [zlib.crc32(k.encode()) % n for k in KEYS] for n in (2, 3, 5)},
    }
    for name, data in (('ketama.json', ketama), ('modula.json', modula)):
        with open(os.path.join(HERE, name), 'w') as f:
            json.dump(data, f, ensure_ascii=False, separators=(',', ':'))
            f.write('\n')


if __name__ == '__main__':
    main()
