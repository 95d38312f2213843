import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { nodeHmac } from '../../src/runtime/node-crypto.ts';
import { generateWebhookSecret, signedHeaders, signingKey, signPayload } from '../../src/webhooks/signing.ts';

// The example published with the Standard Webhooks reference libraries (libraries/javascript/src/webhook.test.ts).
const SPEC = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  msgId: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  payload: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

describe('Standard Webhooks signing', () => {
  it('reproduces the signature of the spec example', async () => {
    expect(await signPayload(SPEC.secret, SPEC.msgId, SPEC.timestamp, SPEC.payload)).toBe(SPEC.signature);
  });

  it('reproduces it with the Node HMAC and with a cached key, as the dispatcher signs', async () => {
    for (const factory of [nodeHmac, undefined]) {
      const key = await signingKey(SPEC.secret, factory);
      expect(await signPayload(key, SPEC.msgId, SPEC.timestamp, SPEC.payload)).toBe(SPEC.signature);
      const other = await signPayload(key, SPEC.msgId, SPEC.timestamp + 1, SPEC.payload);
      expect(other).not.toBe(SPEC.signature);
    }
  });

  it('signs the spec example the same as the standardwebhooks package', async () => {
    const theirs = new Webhook(SPEC.secret).sign(SPEC.msgId, new Date(SPEC.timestamp * 1000), SPEC.payload);
    expect(await signPayload(SPEC.secret, SPEC.msgId, SPEC.timestamp, SPEC.payload)).toBe(theirs);
  });

  it('produces headers that the standardwebhooks package verifies', async () => {
    const secret = generateWebhookSecret();
    const body = JSON.stringify({ type: 'comment.approved', data: { comment: { body: 'Bài viết rất hay 👍🏽' } } });
    const headers = await signedHeaders([secret], 'msg_01JDX0000000000000000000AB', new Date(), body);
    expect(headers['webhook-id']).toBe('msg_01JDX0000000000000000000AB');
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  it('signs with every secret during a rotation so either one verifies', async () => {
    const current = generateWebhookSecret();
    const previous = generateWebhookSecret();
    const body = '{"type":"comment.approved"}';
    const headers = await signedHeaders([current, previous], 'msg_rotation', new Date(), body);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(current).verify(body, { ...headers })).toEqual({ type: 'comment.approved' });
    expect(new Webhook(previous).verify(body, { ...headers })).toEqual({ type: 'comment.approved' });
    expect(() => new Webhook(generateWebhookSecret()).verify(body, { ...headers })).toThrow('No matching signature');
  });

  it('generates whsec_ secrets holding 24 random bytes', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(generateWebhookSecret()).not.toBe(secret);
  });

  it('puts the whole-second timestamp of the attempt in webhook-timestamp', async () => {
    const headers = await signedHeaders([SPEC.secret], SPEC.msgId, new Date(SPEC.timestamp * 1000 + 999), SPEC.payload);
    expect(headers).toEqual({
      'webhook-id': SPEC.msgId,
      'webhook-timestamp': String(SPEC.timestamp),
      'webhook-signature': SPEC.signature,
    });
  });
});
