/**
 * libhashkit's `hashkit_one_at_a_time` (Bob Jenkins' one-at-a-time hash), libmemcached's default key
 * hash (MEMCACHED_HASH_DEFAULT), over a string's UTF-8 bytes. libhashkit reads each byte through a
 * plain `char`, signed on the x86 and ARM Linux builds Debian ships, so a byte >= 0x80 enters the sum
 * sign-extended (0xFFFFFF80..0xFFFFFFFF): keys with non-ASCII characters hash as they do there.
 */
export function oneAtATime(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // ASCII, the common key, needs no byte conversion.
    if (unit >= 0x80) return oneAtATimeBytes(Buffer.from(text, 'utf8'));
    hash = mix(hash, unit);
  }
  return finish(hash);
}

function oneAtATimeBytes(bytes: Uint8Array): number {
  let hash = 0;
  for (const byte of bytes) hash = mix(hash, byte >= 0x80 ? byte - 0x100 : byte);
  return finish(hash);
}

function mix(hash: number, value: number): number {
  let h = (hash + value) >>> 0;
  h = (h + (h << 10)) >>> 0;
  return (h ^ (h >>> 6)) >>> 0;
}

function finish(hash: number): number {
  let h = (hash + (hash << 3)) >>> 0;
  h = (h ^ (h >>> 11)) >>> 0;
  return (h + (h << 15)) >>> 0;
}
