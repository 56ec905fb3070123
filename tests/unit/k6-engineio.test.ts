import { Decoder, Encoder, type Packet, PacketType } from 'socket.io-parser';
import { describe, expect, it } from 'vitest';
import { decodePacket, encodeConnect, encodeEmit, parseEventPayload } from '../../load-tests/k6/lib/engineio.js';

/** What socket.io-parser (the server's own parser) makes of a packet, as an Engine.IO message. */
const wire = (packet: Packet) => `4${new Encoder().encode(packet)[0] as string}`;
const parse = (message: string): Packet => {
  const decoder = new Decoder();
  let out: Packet | undefined;
  decoder.on('decoded', (p: Packet) => {
    out = p;
  });
  decoder.add(message.slice(1));
  return out as Packet;
};

/** The k6 scripts frame Socket.IO by hand: each frame must be what socket.io itself reads and writes. */
describe('k6 Engine.IO / Socket.IO framing', () => {
  it('encodes the namespace connect and emits as socket.io-parser reads them', () => {
    for (const nsp of ['/', '/admin']) {
      const connect = parse(encodeConnect(nsp, { token: 'a.b.c' }));
      expect(connect).toEqual({ type: PacketType.CONNECT, nsp, data: { token: 'a.b.c' } });
      expect(encodeConnect(nsp, { token: 'a.b.c' })).toBe(wire({ type: PacketType.CONNECT, nsp, data: { token: 'a.b.c' } }));
      const payload = { eventId: 'e1', quantity: 2, note: 'quote " and , and [' };
      const emit = encodeEmit(nsp, 17, 'seats:hold', payload);
      expect(parse(emit)).toEqual({ type: PacketType.EVENT, nsp, id: 17, data: ['seats:hold', payload] });
      expect(emit).toBe(wire({ type: PacketType.EVENT, nsp, id: 17, data: ['seats:hold', payload] }));
    }
    expect(parse(encodeEmit('/', 0, 'me:state', {}))).toEqual({
      type: PacketType.EVENT,
      nsp: '/',
      id: 0,
      data: ['me:state', {}],
    });
  });

  it('decodes what the server sends, on / and on /admin', () => {
    for (const nsp of ['/', '/admin']) {
      expect(decodePacket(wire({ type: PacketType.CONNECT, nsp, data: { sid: 'x1' } }), nsp)).toEqual({
        kind: 'connect',
        data: { sid: 'x1' },
      });
      const refused = { message: 'nope', data: { code: 'RATE_LIMITED' } };
      expect(decodePacket(wire({ type: PacketType.CONNECT_ERROR, nsp, data: refused }), nsp)).toEqual({
        kind: 'connect_error',
        data: refused,
      });
      const push = { eventId: 'e1', seq: 4, prevSeq: 3, changes: [[1, 'h']] };
      const event = decodePacket(wire({ type: PacketType.EVENT, nsp, data: ['seats:delta', push] }), nsp);
      expect(event).toMatchObject({ kind: 'event', name: 'seats:delta' });
      expect(event.kind === 'event' && parseEventPayload(event.body)).toEqual(push);
      const ack = { ok: false, error: { code: 'SOLD_OUT', message: 'gone [1,2]', retryable: false } };
      expect(decodePacket(wire({ type: PacketType.ACK, nsp, id: 123, data: [ack] }), nsp)).toEqual({
        kind: 'ack',
        id: 123,
        reply: ack,
      });
      expect(decodePacket(wire({ type: PacketType.DISCONNECT, nsp }), nsp)).toEqual({ kind: 'disconnect' });
    }
  });

  it('reads Engine.IO open, ping and close, and ignores other namespaces', () => {
    const open = { sid: 's', upgrades: [], pingInterval: 25000, pingTimeout: 20000, maxPayload: 1e6 };
    expect(decodePacket(`0${JSON.stringify(open)}`, '/')).toEqual({ kind: 'open', data: open });
    expect(decodePacket('2', '/')).toEqual({ kind: 'ping' });
    expect(decodePacket('1', '/')).toEqual({ kind: 'close' });
    expect(decodePacket(wire({ type: PacketType.EVENT, nsp: '/admin', data: ['analytics:update', {}] }), '/').kind).toBe(
      'ignored',
    );
    expect(decodePacket(wire({ type: PacketType.EVENT, nsp: '/', data: ['seats:delta', {}] }), '/admin').kind).toBe('ignored');
    expect(decodePacket('6', '/').kind).toBe('ignored');
  });
});
