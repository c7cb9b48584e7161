#!/usr/bin/env python3
"""Writes ketama.json, ketama-unweighted.json and modula.json: key -> server vectors from
independent implementations.

Dev-only, run by hand (CI only reads the JSON). Needs Debian's libmemcached11 and python3-pylibmc
(pylibmc and php-memcached load that libmemcached), run with Debian's own Python:
    apt-get install libmemcached11 python3-pylibmc && /usr/bin/python3 test/vectors/generate.py
- ketama: libmemcached itself, through ctypes, with MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED
  (pylibmc's 'ketama_weighted', php-memcached's OPT_LIBKETAMA_COMPATIBLE); memcached_generate_hash
  answers the index of the server a key goes to, without connecting.
- ketama-unweighted: pylibmc with behaviors={'ketama': True} (MEMCACHED_BEHAVIOR_KETAMA), whose
  hash() is libmemcached's memcached_generate_hash: the server index, without connecting. pylibmc
  sets the behaviors before it adds the servers, so a server of weight > 1 turns libmemcached's
  weighted continuum on (server_add in hosts.cc); the ring with weights checks that case.
- modula: Python's zlib.crc32(key) % n, the CRC-32/IEEE of Go's crc32.ChecksumIEEE that gomemcache
  uses.
"""
import ctypes
import json
import os
import zlib

import pylibmc

HERE = os.path.dirname(os.path.abspath(__file__))
# libmemcached-1.0/types/behavior.h and types/server_distribution.h
MEMCACHED_BEHAVIOR_KETAMA = 3
MEMCACHED_BEHAVIOR_DISTRIBUTION = 9
MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED = 16
MEMCACHED_DISTRIBUTION_CONSISTENT = 1

lib = ctypes.CDLL('libmemcached.so.11')
lib.memcached_create.restype = ctypes.c_void_p
lib.memcached_create.argtypes = [ctypes.c_void_p]
lib.memcached_free.argtypes = [ctypes.c_void_p]
lib.memcached_server_add_with_weight.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_ushort, ctypes.c_uint32]
lib.memcached_behavior_set.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_uint64]
lib.memcached_generate_hash.restype = ctypes.c_uint32
lib.memcached_generate_hash.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t]
lib.memcached_lib_version.restype = ctypes.c_char_p
hashkit = ctypes.CDLL('libhashkit.so.2')
hashkit.libhashkit_one_at_a_time.restype = ctypes.c_uint32
hashkit.libhashkit_one_at_a_time.argtypes = [ctypes.c_char_p, ctypes.c_size_t]


def libmemcached_owners(servers, keys, behavior=MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED, value=1):
    mc = lib.memcached_create(None)
    try:
        for s in servers:
            rc = lib.memcached_server_add_with_weight(mc, s['host'].encode(), s['port'], s['weight'])
            assert rc == 0, rc
        assert lib.memcached_behavior_set(mc, behavior, value) == 0
        return [lib.memcached_generate_hash(mc, k.encode(), len(k.encode())) for k in keys]
    finally:
        lib.memcached_free(mc)


def pylibmc_owners(servers, keys):
    specs = ['%s:%d:%d' % ('[%s]' % s['host'] if ':' in s['host'] else s['host'], s['port'], s['weight'])
             for s in servers]
    mc = pylibmc.Client(specs, behaviors={'ketama': True})
    assert mc.behaviors['distribution'] == 'consistent ketama', mc.behaviors
    return [mc.hash(k) for k in keys]


def server(host, port=11211, weight=1):
    return {'host': host, 'port': port, 'weight': weight}


KEYS = (
    ['foo', 'bar', 'baz', 'user:1', 'user:2', 'session:abcdef', 'héllo', '日本語キー', 'k' * 250]
    + ['key%d' % i for i in range(200)]
    + ['user:%d:profile' % (i * 7919) for i in range(100)]
)

# one-at-a-time reads key bytes through a signed char: bytes >= 0x80 need keys of their own to be
# checked (the ASCII-heavy KEYS place the same with either reading).
UNWEIGHTED_KEYS = KEYS + ['ключ:%d' % i for i in range(100)] + ['clé-é%d' % i for i in range(100)]

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
    unweighted = {
        'generator': "pylibmc %s on libmemcached %s, behaviors={'ketama': True}, Client.hash"
        % (pylibmc.__version__, lib.memcached_lib_version().decode()),
        'keys': UNWEIGHTED_KEYS,
        # libhashkit's one-at-a-time itself, the hash of both the points and the keys.
        'oneAtATime': {k: hashkit.libhashkit_one_at_a_time(k.encode(), len(k.encode()))
                       for k in ['', 'a', 'foo', '10.0.1.1-0', 'héllo', '日本語キー', 'ключ:1', '\x7f\x80']},
        'rings': [
            {'name': name, 'servers': servers, 'owners': pylibmc_owners(servers, UNWEIGHTED_KEYS)}
            for name, servers in RINGS
        ],
    }
    # docs/cluster.md maps these libmemcached settings (php-memcached's OPT_DISTRIBUTION =>
    # DISTRIBUTION_CONSISTENT among them) to 'ketama-unweighted': with servers of weight 1 they are
    # the ring pylibmc builds.
    for ring in unweighted['rings']:
        if any(s['weight'] != 1 for s in ring['servers']):
            continue
        for behavior, value in ((MEMCACHED_BEHAVIOR_KETAMA, 1),
                                (MEMCACHED_BEHAVIOR_DISTRIBUTION, MEMCACHED_DISTRIBUTION_CONSISTENT)):
            assert libmemcached_owners(ring['servers'], UNWEIGHTED_KEYS, behavior, value) == ring['owners'], ring['name']
    modula = {
        'generator': 'Python zlib.crc32(key UTF-8) % n',
        'keys': KEYS,
        'owners': {str(n): [zlib.crc32(k.encode()) % n for k in KEYS] for n in (2, 3, 5)},
    }
    for name, data in (('ketama.json', ketama), ('ketama-unweighted.json', unweighted), ('modula.json', modula)):
        with open(os.path.join(HERE, name), 'w') as f:
            json.dump(data, f, ensure_ascii=False, separators=(',', ':'))
            f.write('\n')


if __name__ == '__main__':
    main()
