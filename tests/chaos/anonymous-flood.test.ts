import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connectClient } from '../support/connect-client.js';
import { http, registerUser } from '../support/http-client.js';
import { type StartedProcess, startGatewayProcess } from '../support/start-process.js';
import { createTestEnv, type TestEnv } from '../support/test-env.js';

/**
 * 10,000 anonymous sockets from one address against one gateway, kept open like an attacker
 * would: only MAX_ANONYMOUS_SOCKETS_PER_ADDRESS of them get a namespace, the rest are refused
 * (connect_error RATE_LIMITED), and the gateway keeps serving everyone else meanwhile. Raw
 * Engine.IO v4 over `ws`: ten thousand socket.io-client instances would cost the test process
 * more than the gateway.
 */
const SOCKETS = 10_000;
const CAP = 50;
const WAVE = 500;

let t: TestEnv;
let gateway: StartedProcess;
beforeAll(async () => {
  t = await createTestEnv({ MAX_ANONYMOUS_SOCKETS_PER_ADDRESS: String(CAP) });
  gateway = await startGatewayProcess(t.env, 90_000);
}, 120_000);
afterAll(async () => {
  await gateway?.stop();
});

type Outcome = 'connected' | 'refused' | 'other';

/** Opens one engine connection, asks for namespace `/`, reports how the server answered. */
function anonymousSocket(port: number): Promise<{ ws: WebSocket; outcome: Outcome; code?: string }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`);
    const timer = setTimeout(() => resolve({ ws, outcome: 'other', code: 'timeout' }), 60_000);
    const done = (outcome: Outcome, code?: string) => {
      clearTimeout(timer);
      resolve({ ws, outcome, code });
    };
    ws.on('error', () => done('other', 'error'));
    ws.on('message', (raw) => {
      const frame = raw.toString();
      if (frame === '2')
        ws.send('3'); // ping -> pong: stay connected like a live client
      else if (frame.startsWith('0')) ws.send('40');
      else if (frame.startsWith('40')) done('connected');
      else if (frame.startsWith('44')) {
        const err = JSON.parse(frame.slice(2)) as { data?: { code?: string } };
        done(err.data?.code === 'RATE_LIMITED' ? 'refused' : 'other', err.data?.code);
      }
    });
  });
}

describe(`${SOCKETS} anonymous sockets from one address`, () => {
  it('are capped per address while the gateway keeps serving others', async () => {
    const opened: WebSocket[] = [];
    const outcomes: Record<string, number> = {};
    const started = Date.now();
    try {
      for (let i = 0; i < SOCKETS; i += WAVE) {
        const wave = await Promise.all(Array.from({ length: Math.min(WAVE, SOCKETS - i) }, () => anonymousSocket(gateway.port)));
        for (const w of wave) {
          opened.push(w.ws);
          const key = w.outcome === 'other' ? `other:${w.code}` : w.outcome;
          outcomes[key] = (outcomes[key] ?? 0) + 1;
        }
      }
      const floodMs = Date.now() - started;
      // Everybody else is still served while all of them stay open.
      const t0 = Date.now();
      const health = await http(gateway.url, 'GET', '/health');
      const user = await registerUser(gateway.url);
      const client = await connectClient(gateway.url, user.accessToken);
      const ack = await client.bookingList({}, { timeoutMs: 30_000 });
      const servedMs = Date.now() - t0;
      console.log(`anonymous flood: ${JSON.stringify({ sockets: SOCKETS, outcomes, floodMs, userServedMs: servedMs })}`);
      expect(outcomes.connected).toBe(CAP);
      expect(outcomes.refused).toBe(SOCKETS - CAP);
      expect(health.status).toBe(200);
      expect(ack.ok).toBe(true);
      client.close();
    } finally {
      for (const ws of opened) ws.terminate();
    }
    // Their places are given back when they go.
    const again = await (async () => {
      for (let i = 0; i < 100; i++) {
        const s = await anonymousSocket(gateway.port);
        s.ws.terminate();
        if (s.outcome === 'connected') return s.outcome;
        await new Promise((r) => setTimeout(r, 100));
      }
      return 'still refused';
    })();
    expect(again).toBe('connected');
    expect(gateway.child.exitCode).toBeNull();
  }, 300_000);
});
