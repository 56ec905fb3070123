// Types of engineio.js for the TypeScript test that checks it.
export type Packet =
  | { kind: 'open'; data: any }
  | { kind: 'ping' }
  | { kind: 'close' }
  | { kind: 'connect'; data: any }
  | { kind: 'connect_error'; data: any }
  | { kind: 'disconnect' }
  | { kind: 'event'; name: string; body: string }
  | { kind: 'ack'; id: number; reply: any }
  | { kind: 'ignored'; reason: string };
export declare const PONG: string;
export declare function namespacePrefix(namespace: string): string;
export declare function encodeConnect(namespace: string, auth: Record<string, unknown>): string;
export declare function encodeEmit(namespace: string, id: number, name: string, payload: unknown): string;
export declare function decodePacket(msg: string, namespace: string): Packet;
export declare function parseEventPayload(body: string): any;
