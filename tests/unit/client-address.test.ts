import { describe, expect, it } from 'vitest';
import { clientAddressOf, createTrustedProxies, limitAddressOf, normalizeAddress } from '../../gateway/http/client-address.js';

describe('clientAddressOf', () => {
  const none = createTrustedProxies([]);
  const lb = createTrustedProxies(['10.0.0.0/8', '127.0.0.1', '::1']);

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', () => {
    expect(clientAddressOf('203.0.113.9', '1.2.3.4', none)).toBe('203.0.113.9');
    expect(clientAddressOf('203.0.113.9', '1.2.3.4', lb)).toBe('203.0.113.9');
  });

  it('takes the rightmost untrusted hop behind trusted proxies, never a spoofed left entry', () => {
    expect(clientAddressOf('127.0.0.1', '198.51.100.7', lb)).toBe('198.51.100.7');
    expect(clientAddressOf('10.1.2.3', '6.6.6.6, 198.51.100.7, 10.9.9.9', lb)).toBe('198.51.100.7');
    expect(clientAddressOf('10.1.2.3', '10.2.2.2', lb)).toBe('10.2.2.2');
  });

  it('stops at garbage in the header instead of trusting it', () => {
    expect(clientAddressOf('127.0.0.1', 'not-an-ip', lb)).toBe('127.0.0.1');
    expect(clientAddressOf('127.0.0.1', 'evil, 198.51.100.7', lb)).toBe('198.51.100.7');
    expect(clientAddressOf('127.0.0.1', '', lb)).toBe('127.0.0.1');
  });

  it('spells IPv4-mapped IPv6 addresses as IPv4, one spelling per client', () => {
    expect(normalizeAddress('0000:0000:0000:0000:0000:ffff:7f00:0001')).toBe('127.0.0.1');
    expect(normalizeAddress('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(normalizeAddress('2001:DB8::1')).toBe('2001:db8:0:0:0:0:0:1');
    expect(clientAddressOf('0000:0000:0000:0000:0000:ffff:7f00:0001', '198.51.100.7', lb)).toBe('198.51.100.7');
  });
});

describe('limitAddressOf', () => {
  it('counts an IPv6 address as its /64 and leaves IPv4 alone', () => {
    expect(limitAddressOf('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(limitAddressOf('2001:0db8:0001:0002::1')).toBe('2001:db8:1:2::/64');
    expect(limitAddressOf('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(limitAddressOf('203.0.113.9')).toBe('203.0.113.9');
    expect(limitAddressOf(normalizeAddress('::ffff:203.0.113.9'))).toBe('203.0.113.9');
  });
});
