#!/usr/bin/env python3
"""Writes ketama-unix.json: which server libmemcached's weighted ketama picks for each key when some
servers are UNIX sockets (test/unit/distribution/ketama.unix.test.ts reads it).

Dev-only, run by hand like generate.py (same packages: libmemcached11, python3-pylibmc):
    /usr/bin/python3 test/vectors/generate_unix.py
libmemcached adds a UNIX socket server with port 0 (memcached_server_add_unix_socket_with_weight,
which pylibmc and php-memcached call for a path), so its ketama hashes `path:0-d`. Mixed rings come
from libmemcached through ctypes; pylibmc refuses to mix transports, so it checks the all-UNIX ring.
"""
import ctypes
import json
import os

import pylibmc

HERE = os.path.dirname(os.path.abspath(__file__))
MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED = 16

lib = ctypes.CDLL('libmemcached.so.11')
lib.memcached_create.restype = ctypes.c_void_p
lib.memcached_create.argtypes = [ctypes.c_void_p]
lib.memcached_free.argtypes = [ctypes.c_void_p]
lib.memcached_server_add_with_weight.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_ushort, ctypes.c_uint32]
lib.memcached_server_add_unix_socket_with_weight.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_uint32]
lib.memcached_behavior_set.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_uint64]
lib.memcached_generate_hash.restype = ctypes.c_uint32
lib.memcached_generate_hash.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t]
lib.memcached_lib_version.restype = ctypes.c_char_p

KEYS = ['foo', 'bar', 'baz'] + ['key%d' % i for i in range(300)]


def owners(servers):
    mc = lib.memcached_create(None)
    try:
        for s in servers:
            if s['address'].startswith('/'):
                rc = lib.memcached_server_add_unix_socket_with_weight(mc, s['address'].encode(), s['weight'])
            else:
                host, port = s['address'].rsplit(':', 1)
                rc = lib.memcached_server_add_with_weight(mc, host.encode(), int(port), s['weight'])
            assert rc == 0, rc
        assert lib.memcached_behavior_set(mc, MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED, 1) == 0
        return [lib.memcached_generate_hash(mc, k.encode(), len(k.encode())) for k in KEYS]
    finally:
        lib.memcached_free(mc)


RINGS = [
    ('UNIX socket and TCP', [{'address': '/run/memcached/memcached.sock', 'weight': 1},
                             {'address': '10.0.0.2:11211', 'weight': 1}]),
    ('two UNIX sockets and TCP on another port, weighted',
     [{'address': '/run/memcached/a.sock', 'weight': 2}, {'address': '10.0.0.2:11311', 'weight': 1},
      {'address': '/tmp/mc-b.sock', 'weight': 1}]),
    ('three UNIX sockets', [{'address': '/run/mc/a.sock', 'weight': 1}, {'address': '/run/mc/b.sock', 'weight': 1},
                            {'address': '/run/mc/c.sock', 'weight': 1}]),
]

rings = []
for name, servers in RINGS:
    got = owners(servers)
    if all(s['address'].startswith('/') for s in servers):
        mc = pylibmc.Client(['%s:%d' % (s['address'], s['weight']) if s['weight'] != 1 else s['address']
                             for s in servers], behaviors={'ketama_weighted': True})
        assert [mc.hash(k) for k in KEYS] == got, name
    rings.append({'name': name, 'servers': servers, 'owners': got})

with open(os.path.join(HERE, 'ketama-unix.json'), 'w') as f:
    json.dump({'libmemcached': lib.memcached_lib_version().decode(), 'keys': KEYS, 'rings': rings}, f, indent=1)
    f.write('\n')
