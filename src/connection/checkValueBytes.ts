import { malformed } from './malformed';
import type { WireLimits } from './WireRequest';

/**
 * The one check of a value's announced size against `maxValueBytes`, for every protocol's reader:
 * a value over it fails the connection at its header, before its bytes are buffered.
 */
export function checkValueBytes(size: number, limits: Pick<WireLimits, 'maxValueBytes'>, server: string): void {
  const max = limits.maxValueBytes;
  if (size > max) throw malformed(server, `a value of ${size} bytes, over maxValueBytes (${max})`);
}
