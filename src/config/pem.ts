import { X509Certificate } from 'node:crypto';
import { InvalidOptionError } from '../core/errors';

/** What an error shows instead of a certificate, a key or a passphrase. */
export const NOT_SHOWN = '(not shown)';

const CERTIFICATE_BLOCK =
  /-----BEGIN (?:TRUSTED |X509 )?CERTIFICATE-----[\s\S]*?-----END (?:TRUSTED |X509 )?CERTIFICATE-----/g;
// A file's name where its contents belong: one line, no PEM armour, and a path's start or a PEM
// file's extension. A PEM body never starts with `/` (base64 of DER starts with `M`).
const PATH_START = /^(?:\/|\.{1,2}[\\/]|~[\\/]|[A-Za-z]:[\\/])/;
const PEM_EXTENSION = /\.(?:pem|crt|cer|key|ca-bundle)$/i;

/**
 * Checks `tls.ca`, `tls.cert` or `tls.key` (a PEM string or Buffer, or a non-empty array of them)
 * and answers a copy of it. A value that looks like a file path is refused, and the path shown: the
 * option takes the file's contents. Each `ca` must hold PEM certificates that parse: Node ignores
 * anything else there, and every connection would then fail its certificate check. Never shows a
 * certificate or a key.
 */
export function checkPem(
  name: 'ca' | 'cert' | 'key',
  value: unknown,
): string | Buffer | (string | Buffer)[] | undefined {
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? value.slice() : undefined;
  const entries: unknown[] = list ?? [value];
  if (entries.length === 0 || !entries.every((v) => typeof v === 'string' || Buffer.isBuffer(v))) {
    throw new InvalidOptionError(`tls.${name}`, NOT_SHOWN, 'a PEM string or Buffer, or a non-empty array of them');
  }
  for (const entry of entries as (string | Buffer)[]) {
    const text = typeof entry === 'string' ? entry : entry.toString('latin1');
    if (looksLikePath(text)) {
      throw new InvalidOptionError(
        `tls.${name}`,
        text,
        `PEM contents, not a file path: pass the file's contents (fs.readFileSync(path))`,
      );
    }
    if (name === 'ca') checkCertificates(text);
  }
  return list ?? (value as string | Buffer);
}

function looksLikePath(text: string): boolean {
  return (
    text.length <= 1024 &&
    !/[\r\n]/.test(text) &&
    !text.includes('-----') &&
    (PATH_START.test(text) || PEM_EXTENSION.test(text.trim()))
  );
}

function checkCertificates(text: string): void {
  const blocks = text.match(CERTIFICATE_BLOCK);
  if (blocks === null) {
    throw new InvalidOptionError('tls.ca', NOT_SHOWN, 'PEM certificates (-----BEGIN CERTIFICATE-----): found none');
  }
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      throw new InvalidOptionError(
        'tls.ca',
        NOT_SHOWN,
        `PEM certificates that parse (one did not: ${typeof code === 'string' ? code : 'invalid'})`,
      );
    }
  }
}
