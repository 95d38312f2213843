import { describe, expect, it } from 'vitest';
import { classifyAddress, createUrlGuard, type Resolve } from '../../src/webhooks/ssrf.ts';

const DNS: Record<string, string[]> = {
  'hooks.example.com': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
  'mixed.example.com': ['93.184.215.14', '10.0.0.5'],
  'localhost.example.com': ['127.0.0.1'],
  'metadata.example.com': ['169.254.169.254'],
  'v6-internal.example.com': ['fd00:ec2::254'],
  'empty.example.com': [],
};

const resolve: Resolve = async (host) => {
  const addresses = DNS[host];
  if (!addresses) throw new Error(`ENOTFOUND ${host}`);
  return addresses;
};

const guard = createUrlGuard({ resolve, allowPrivate: false });

// [url, reason or null when allowed]
const TABLE: [string, string | null][] = [
  ['https://hooks.example.com/duyet', null],
  ['http://93.184.215.14:8080/hook', null],
  ['http://[2606:4700:4700::1111]/hook', null],
  ['http://[::ffff:8.8.8.8]/', null],
  ['http://[2002:808:808::1]/', null],
  ['http://127.0.0.1/', 'loopback'],
  ['http://127.10.0.1:9000/', 'loopback'],
  ['http://2130706433/', 'loopback'],
  ['http://0x7f.1/', 'loopback'],
  ['http://017700000001/', 'loopback'],
  ['http://0x7f000001/', 'loopback'],
  ['http://10.1.2.3/', 'private'],
  ['http://172.16.0.1/', 'private'],
  ['http://172.31.255.255/', 'private'],
  ['http://192.168.1.1/', 'private'],
  ['http://169.254.169.254/latest/meta-data/', 'linkLocal'],
  ['http://100.64.0.1/', 'carrierGradeNat'],
  ['http://100.127.255.254/', 'carrierGradeNat'],
  ['http://224.0.0.1/', 'multicast'],
  ['http://0.0.0.0/', 'unspecified'],
  ['http://0/', 'unspecified'],
  ['http://255.255.255.255/', 'broadcast'],
  ['http://240.0.0.1/', 'reserved'],
  ['http://192.0.0.8/', 'reserved'],
  ['http://198.18.0.1/', 'reserved'],
  ['http://198.19.255.1/', 'reserved'],
  ['http://192.0.2.10/', 'reserved'],
  ['http://198.51.100.10/', 'reserved'],
  ['http://203.0.113.10/', 'reserved'],
  ['http://[::1]/', 'loopback'],
  ['http://[::]/', 'unspecified'],
  ['http://[fc00::1]/', 'uniqueLocal'],
  ['http://[fd12:3456::1]/', 'uniqueLocal'],
  ['http://[fe80::1]/', 'linkLocal'],
  ['http://[ff02::1]/', 'multicast'],
  ['http://[2001:db8::1]/', 'reserved'],
  ['http://[::127.0.0.1]/', 'not global unicast'],
  ['http://[::ffff:127.0.0.1]/', 'ipv4Mapped 127.0.0.1 (loopback)'],
  ['http://[::ffff:10.0.0.1]/', 'ipv4Mapped 10.0.0.1 (private)'],
  ['http://[::ffff:169.254.169.254]/', 'ipv4Mapped 169.254.169.254 (linkLocal)'],
  ['http://[::ffff:0:192.168.0.1]/', 'rfc6145 192.168.0.1 (private)'],
  ['http://[64:ff9b::10.0.0.1]/', 'rfc6052 10.0.0.1 (private)'],
  ['http://[2002:7f00:1::]/', '6to4 127.0.0.1 (loopback)'],
  ['http://[2002:a9fe:a9fe::1]/', '6to4 169.254.169.254 (linkLocal)'],
  ['http://[2001:0:4136:e378:8000:63bf:3f57:fefe]/', 'teredo client 192.168.1.1 (private)'],
  ['http://[2001:0:a00:1:8000:63bf:f7f7:f7f7]/', 'teredo server 10.0.0.1 (private)'],
  ['ftp://hooks.example.com/', 'only http and https'],
  ['file:///etc/passwd', 'only http and https'],
  ['javascript:alert(1)', 'only http and https'],
  ['http://user:pass@hooks.example.com/', 'credentials in URL'],
  ['http://token@hooks.example.com/', 'credentials in URL'],
  ['not a url', 'invalid URL'],
  ['http://localhost.example.com/', 'loopback'],
  ['http://metadata.example.com/', 'linkLocal'],
  ['http://v6-internal.example.com/', 'uniqueLocal'],
  ['http://mixed.example.com/', 'private'],
  ['http://empty.example.com/', 'host does not resolve'],
  ['http://unknown.example.com/', 'host does not resolve'],
];

describe('SSRF guard', () => {
  it.each(TABLE)('judges %s as %s', async (url, reason) => {
    const result = await guard.check(url);
    if (reason === null) {
      expect(result.ok).toBe(true);
    } else {
      expect(result.ok).toBe(false);
      expect(result.ok ? null : result.reason).toBe(reason);
    }
  });

  it('refuses a host when any one of its addresses is private', async () => {
    expect(await guard.check('https://mixed.example.com/hook')).toEqual({
      ok: false,
      reason: 'private',
      address: '10.0.0.5',
    });
  });

  it('returns every resolved address of an allowed host', async () => {
    const result = await guard.check('https://hooks.example.com/duyet');
    expect(result.ok ? result.addresses : null).toEqual(DNS['hooks.example.com']);
  });

  it('checks addresses resolved at connection time', () => {
    expect(guard.checkAddress('93.184.215.14')).toBeNull();
    expect(guard.checkAddress('127.0.0.1')).toBe('loopback');
    expect(guard.checkAddress('::ffff:7f00:1')).toBe('ipv4Mapped 127.0.0.1 (loopback)');
    expect(guard.checkAddress('fe80::1%eth0')).toBe('linkLocal');
  });

  it('does not treat text as an address', () => {
    expect(classifyAddress('example.com')).toBe('invalid address');
    expect(classifyAddress('')).toBe('invalid address');
  });

  describe('with private targets allowed', () => {
    const open = createUrlGuard({
      resolve: async () => {
        throw new Error('must not resolve');
      },
      allowPrivate: true,
    });

    it('allows loopback and private addresses', async () => {
      expect((await open.check('http://127.0.0.1:8080/hook')).ok).toBe(true);
      expect((await open.check('http://localhost:8080/hook')).ok).toBe(true);
      expect((await open.check('http://[::1]/')).ok).toBe(true);
      expect(open.checkAddress('10.0.0.1')).toBeNull();
    });

    it('still refuses other schemes and credentials', async () => {
      expect(await open.check('ftp://127.0.0.1/')).toEqual({ ok: false, reason: 'only http and https' });
      expect(await open.check('http://a:b@127.0.0.1/')).toEqual({ ok: false, reason: 'credentials in URL' });
    });
  });
});
