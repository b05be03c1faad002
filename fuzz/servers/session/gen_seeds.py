#!/usr/bin/env python3
"""fuzz/servers/session/gen_seeds.py DIR: the seed inputs of //fuzz:session_server.

The harness reads an input as the byte stream of lib/spec's generator
(mp_spec_gen_t: the number of requests, then each request's routine,
values and mutations), so a seed is a stream of bytes, not a message. These
are deterministic streams (SHA-256 chains) of a few lengths: short ones
(one or two requests), long ones (up to the 8 requests of an input), and
all-zero / all-0xff ones (the generator's first and last choices).
"""
import hashlib
import os
import sys


def chain(tag, n):
    out, h = b"", tag.encode()
    while len(out) < n:
        h = hashlib.sha256(h).digest()
        out += h
    return out[:n]


def main():
    d = sys.argv[1]
    os.makedirs(d, exist_ok=True)
    seeds = {"zeros-64": bytes(64), "ones-64": b"\xff" * 64}
    for n in (8, 32, 128, 512, 2048):
        seeds["chain-%d" % n] = chain("session-%d" % n, n)
    for name, data in seeds.items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
