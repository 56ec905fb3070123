import { randomBytes } from 'node:crypto';
import * as parser from 'socket.io-parser';

/**
 * A reply that is already JSON text. The same seat map goes to thousands of subscribers: it is
 * serialized once per seq and spliced into each ack instead of being stringified per socket.
 */
export class RawJson {
  constructor(readonly json: string) {}
}

/** Unguessable per process, so no string a client sent can ever be mistaken for it. */
const SENTINEL = `\u0000raw-json-${randomBytes(12).toString('hex')}\u0000`;
const QUOTED_SENTINEL = JSON.stringify(SENTINEL);

/** An ack `{ok:true, data: RawJson}` (how bind-commands acks a handler's RawJson reply). */
function rawAckData(packet: { data?: unknown }): RawJson | null {
  const args = packet.data;
  if (!Array.isArray(args) || args.length !== 1) return null;
  const ack = args[0] as { data?: unknown } | null;
  return ack && typeof ack === 'object' && ack.data instanceof RawJson ? ack.data : null;
}

class Encoder extends parser.Encoder {
  override encode(packet: parser.Packet): unknown[] {
    const raw = rawAckData(packet);
    if (!raw) return super.encode(packet);
    const ack = (packet.data as { data: unknown }[])[0] as Record<string, unknown>;
    const [text] = super.encode({ ...packet, data: [{ ...ack, data: SENTINEL }] }) as string[];
    const at = (text as string).lastIndexOf(QUOTED_SENTINEL);
    return [(text as string).slice(0, at) + raw.json + (text as string).slice(at + QUOTED_SENTINEL.length)];
  }
}

/** socket.io-parser with the RawJson splice on encode; decoding is unchanged (same wire format). */
export const rawJsonParser = { ...parser, Encoder };
