import { describe, expect, it } from 'vitest';
import { ConnectionError, CredentialsNotRequiredError } from '../../../src/core/errors';
import { MetaConnection, type MetaRequest } from '../../../src/meta/MetaConnection';
import { fakeLineSocket } from '../../support/fakeLineSocket';

const PASSWORD = 'Pa55:w@rd';

/** A connection with credentials over a fake socket; `answer` feeds it bytes as memcached would. */
function connection() {
  const { open, writes, ready, answer } = fakeLineSocket();
  const settings = { open, server: 'fake:11211', username: 'alice', password: PASSWORD, onData: () => {} };
  const conn = new MetaConnection(settings);
  const answered: string[] = [];
  const failed: Error[] = [];
  const request: MetaRequest = {
    span: 0,
    id: 0,
    handle: (response) => answered.push(response.line) > 0,
    fail: (err) => failed.push(err),
  };
  // A request made before the socket is ready, as the first call of a new connection is.
  conn.send(request, () => 'mn\r\n');
  ready();
  return { conn, writes, answered, failed, answer };
}

const tick = () => new Promise<void>((resolve) => process.nextTick(resolve));
const SECRET = `set _auth 0 0 ${`alice ${PASSWORD}`.length}\r\nalice ${PASSWORD}\r\n`;

describe('MetaConnection with credentials: a probe first, the secret only to a server that asks for it', () => {
  it('writes only the probe until memcached answers it; nothing else leaves', async () => {
    const { writes } = connection();
    await tick();
    expect(writes).toEqual(['mn\r\n']);
  });

  it('-Y answers the probe unauthenticated: sends the secret alone, then what was held once it is STORED', async () => {
    const { writes, answer, answered, conn } = connection();
    answer('CLIENT_ERROR unauthenticated\r\n');
    await tick();
    expect(writes).toEqual(['mn\r\n', SECRET]);
    answer('STORED\r\n');
    await tick();
    expect(writes).toEqual(['mn\r\n', SECRET, 'mn\r\n']);
    answer('MN\r\n');
    expect(answered).toEqual(['MN']);
    expect(conn.alive).toBe(true);
  });

  it('a server that answers the probe MN does not ask for credentials: never sent, the connection fails typed', async () => {
    const { writes, answer, failed, conn } = connection();
    answer('MN\r\n');
    await tick();
    expect(writes).toEqual(['mn\r\n']);
    expect(conn.alive).toBe(false);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toBeInstanceOf(CredentialsNotRequiredError);
    expect(failed[0]).toMatchObject({ code: 'ERR_CREDENTIALS_NOT_REQUIRED', server: 'fake:11211' });
    expect(failed[0]?.message).not.toContain(PASSWORD);
  });

  it('a refused secret, or an unexpected answer to the probe, fails the connection before anything else is sent', async () => {
    const refused = connection();
    refused.answer('CLIENT_ERROR unauthenticated\r\n');
    refused.answer('CLIENT_ERROR authentication failure\r\n');
    await tick();
    expect(refused.writes).toEqual(['mn\r\n', SECRET]);
    expect(refused.failed[0]).toBeInstanceOf(ConnectionError);
    expect(refused.failed[0]?.message).toContain('authentication failed (fake:11211)');

    const odd = connection();
    odd.answer('SERVER_ERROR busy\r\n');
    await tick();
    expect(odd.writes).toEqual(['mn\r\n']);
    expect(odd.failed[0]?.message).toContain('unexpected answer to the authentication probe from fake:11211');
  });
});
