// OpenID Connect tokens: a JWKS served on loopback, tokens signed here with jose, checked by the
// built gateway (signature, algorithm, iss, aud, exp, nbf with 60 s leeway), next to API keys.
import { EC2Client, RunInstancesCommand } from "@aws-sdk/client-ec2";
import { exportSPKI, SignJWT, UnsecuredJWT, type JWTPayload } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JwtVerifier } from "../../src/auth.js";
import { startAwsProxy, type AwsProxy } from "../support/aws-proxy.js";
import { AUDIENCE, bearer, ISSUER, now, published, signingKey, startJwks, tokenOf, type JwksServer, type SigningKey } from "../support/identity-provider.js";
import { motoEnv, startGateway, type TestGateway } from "../support/gateway.js";
import { motoClientConfig, startMoto, type Moto } from "../support/moto.js";

const PAGE = `query($after: String) { ec2Instances(first: 3, after: $after) { edges { node { instanceId } } pageInfo { endCursor } } }`;
let moto: Moto;
let proxy: AwsProxy;
let rsa: SigningKey;
let ec: SigningKey;
let impostor: SigningKey;
let jwks: JwksServer;
let gateway: TestGateway;
// a gateway of its own, tokens only, to count its JWKS fetches from its first
let rotatingJwks: JwksServer;
let rotating: TestGateway;
let firstFetchAt: number;

beforeAll(async () => {
  [rsa, ec, impostor] = await Promise.all([signingKey("RS256", "rsa-1"), signingKey("ES256", "ec-1"), signingKey("RS256", "rsa-1")]);
  jwks = await startJwks([await published(rsa), await published(ec)]);
  rotatingJwks = await startJwks([await published(rsa)]);
  moto = await startMoto();
  const ec2 = new EC2Client(motoClientConfig(moto.endpoint));
  await ec2.send(new RunInstancesCommand({ ImageId: "ami-12c6146b", MinCount: 7, MaxCount: 7, InstanceType: "t3.micro" }));
  ec2.destroy();
  proxy = await startAwsProxy(moto.endpoint);
  const oidc = { GATEWAY_JWT_ISSUER: ISSUER, GATEWAY_JWT_AUDIENCE: AUDIENCE };
  [gateway, rotating] = await Promise.all([
    startGateway({ ...motoEnv(proxy.url), ...oidc, GATEWAY_JWT_JWKS_URL: jwks.url, GATEWAY_API_KEYS: "dash:dash-secret-123" }),
    startGateway({ ...motoEnv(moto.endpoint), ...oidc, GATEWAY_JWT_JWKS_URL: rotatingJwks.url }),
  ]);
  // the rotating gateway's first token: its first JWKS fetch, from which the minute counts
  firstFetchAt = Date.now();
  const first = await rotating.query(PAGE, {}, bearer(await tokenOf(rsa)));
  expect(first.errors).toBeUndefined();
  expect(rotatingJwks.fetches).toBe(1);
}, 120_000);

afterAll(async () => {
  await Promise.all([gateway?.close(), rotating?.close()]);
  await Promise.all([proxy?.close(), jwks?.close(), rotatingJwks?.close()]);
  await moto?.stop();
});

async function expectUnauthenticated(headers: Record<string, string>) {
  const answer = await gateway.query(PAGE, {}, headers);
  expect(answer.status).toBe(401);
  expect(answer.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  expect(answer.data ?? null).toBeNull();
  return answer;
}

describe("OpenID Connect tokens", () => {
  it("serves a valid RS256 or ES256 token, with the caller budget of its caller", async () => {
    for (const key of [rsa, ec]) {
      const answer = await gateway.query(PAGE, {}, bearer(await tokenOf(key)));
      expect(answer.errors).toBeUndefined();
      expect(answer.status).toBe(200);
      expect(answer.data!.ec2Instances.edges).toHaveLength(3);
      expect(answer.extensions?.rateLimit).toMatchObject({ limit: 5000, remaining: expect.any(Number) });
    }
  });

  it("names the caller by `sub`: a cursor issued to one caller is CURSOR_INVALID for another, and an API key of the same name is the same caller", async () => {
    const page = await gateway.query(PAGE, {}, bearer(await tokenOf(rsa, { sub: "alice" })));
    const cursor = page.data!.ec2Instances.pageInfo.endCursor;
    // the same caller with another token (another key, other groups): its own cursor
    const own = await gateway.query(PAGE, { after: cursor }, bearer(await tokenOf(ec, { sub: "alice", groups: [] })));
    expect(own.errors).toBeUndefined();
    for (const other of [bearer(await tokenOf(rsa, { sub: "bob" })), { authorization: "Bearer dash-secret-123" }]) {
      const stolen = await gateway.query(PAGE, { after: cursor }, other);
      expect(stolen.errors?.[0]?.extensions?.code).toBe("CURSOR_INVALID");
    }
    // sub "dash" and the API key named dash are one caller: cursors, budget and audit use the name either way
    const dashPage = await gateway.query(PAGE, {}, bearer(await tokenOf(rsa, { sub: "dash" })));
    const byKey = await gateway.query(PAGE, { after: dashPage.data!.ec2Instances.pageInfo.endCursor }, { authorization: "Bearer dash-secret-123" });
    expect(byKey.errors).toBeUndefined();
    expect(byKey.data!.ec2Instances.edges).toHaveLength(3);
  });

  it("serves API keys beside tokens, and refuses a JWT-shaped value that no JWKS key signed", async () => {
    const byKey = await gateway.query(PAGE, {}, { authorization: "Bearer dash-secret-123" });
    expect(byKey.errors).toBeUndefined();
    for (const headers of [{} as Record<string, string>, { authorization: "Bearer wrong-secret" }, { authorization: "Basic ZGFzaA==" }, bearer("aaa.bbb.ccc")]) {
      await expectUnauthenticated(headers);
    }
  });

  it("reads the groups claim: an array of strings, or none; anything else is refused", async () => {
    expect((await gateway.query(PAGE, {}, bearer(await tokenOf(rsa, { groups: ["platform", "payments"] })))).errors).toBeUndefined();
    expect((await gateway.query(PAGE, {}, bearer(await tokenOf(rsa, { groups: undefined })))).errors).toBeUndefined();
    await expectUnauthenticated(bearer(await tokenOf(rsa, { groups: "platform" })));
    await expectUnauthenticated(bearer(await tokenOf(rsa, { groups: ["platform", 7] })));
  });

  it("keeps the caller and groups as the configured claims name them", async () => {
    const verifier = new JwtVerifier({ jwksUrl: jwks.url, issuer: ISSUER, audience: AUDIENCE, callerClaim: "email", groupsClaim: "https://awsgql.example/roles" });
    const token = await tokenOf(ec, { email: "carol@example.test", "https://awsgql.example/roles": ["readers", "platform"] });
    expect(await verifier.identify(token)).toEqual({ caller: "carol@example.test", groups: ["readers", "platform"] });
    const defaults = new JwtVerifier({ jwksUrl: jwks.url, issuer: ISSUER, audience: AUDIENCE, callerClaim: "sub", groupsClaim: "groups" });
    expect(await defaults.identify(await tokenOf(rsa, { sub: "alice", groups: ["platform"] }))).toEqual({ caller: "alice", groups: ["platform"] });
    expect(await defaults.identify(await tokenOf(rsa, { groups: undefined }))).toEqual({ caller: "alice", groups: [] });
    // a token without the caller claim names nobody
    await expect(verifier.identify(await tokenOf(rsa))).rejects.toMatchObject({ extensions: { code: "UNAUTHENTICATED" } });
  });

  it("refuses expired, unsigned, wrongly signed, wrong-issuer, wrong-audience and not-yet-valid tokens as UNAUTHENTICATED (401), before any AWS call", async () => {
    const rsaPem = await exportSPKI(rsa.publicKey);
    const payload = (claims: JWTPayload) => Buffer.from(JSON.stringify({ iss: ISSUER, aud: AUDIENCE, sub: "alice", exp: now() + 300, ...claims })).toString("base64url");
    // each refused for its own reason, which the message names
    const refused: [string, string, RegExp][] = [
      ["expired", await tokenOf(rsa, { iat: now() - 600, exp: now() - 120 }), /expired/],
      ["alg none", new UnsecuredJWT({ iss: ISSUER, aud: AUDIENCE, sub: "alice", exp: now() + 300 }).encode(), /algorithm/],
      ["alg none with a kid", `${Buffer.from(JSON.stringify({ alg: "none", kid: "rsa-1", typ: "JWT" })).toString("base64url")}.${payload({})}.`, /algorithm/],
      [
        "HS256 keyed with the RSA public key",
        await new SignJWT({ iss: ISSUER, aud: AUDIENCE, sub: "alice", exp: now() + 300 }).setProtectedHeader({ alg: "HS256", kid: "rsa-1", typ: "JWT" }).sign(new TextEncoder().encode(rsaPem)),
        /algorithm/,
      ],
      ["another key with the same kid", await tokenOf(impostor), /signature/],
      ["a tampered payload", (await tokenOf(rsa)).replace(/\.[^.]+\./, `.${payload({ sub: "root" })}.`), /signature/],
      ["wrong issuer", await tokenOf(rsa, { iss: "https://idp.example.test/realms/other" }), /"iss"/],
      ["wrong audience", await tokenOf(rsa, { aud: "another-service" }), /"aud"/],
      ["not yet valid", await tokenOf(rsa, { nbf: now() + 120 }), /"nbf"/],
      ["no exp", await tokenOf(rsa, { exp: undefined }), /"exp"/],
      ["no sub", await tokenOf(rsa, { sub: undefined }), /"sub"/],
    ];
    proxy.reset();
    for (const [why, token, reason] of refused) {
      const answer = await gateway.query(PAGE, {}, bearer(token));
      expect({ why, status: answer.status, code: answer.errors?.[0]?.extensions?.code }).toEqual({ why, status: 401, code: "UNAUTHENTICATED" });
      expect(answer.errors![0]!.message, why).toMatch(reason);
    }
    expect([...proxy.calls]).toEqual([]);
  });

  it("allows 60 s of clock skew: a token 30 s expired, or valid 30 s from now, is still served", async () => {
    for (const claims of [{ iat: now() - 600, exp: now() - 30 }, { nbf: now() + 30 }]) {
      const answer = await gateway.query(PAGE, {}, bearer(await tokenOf(rsa, claims)));
      expect(answer.errors).toBeUndefined();
    }
  });

  it("keeps the JWKS: fetched again for an unknown kid at most once a minute", async () => {
    const rotated = await signingKey("RS256", "rsa-2");
    rotatingJwks.keys = [await published(rsa), await published(rotated)];
    // within the minute of the first fetch: the new kid is unknown and the keys are not fetched again
    for (const kid of ["rsa-2", "rsa-2", "never-published", "rsa-2"]) {
      const answer = await rotating.query(PAGE, {}, bearer(await tokenOf(rotated, {}, { kid })));
      expect(answer.status).toBe(401);
      expect(answer.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    }
    expect((await rotating.query(PAGE, {}, bearer(await tokenOf(rsa)))).errors).toBeUndefined();
    expect(rotatingJwks.fetches).toBe(1);
    // once the minute is over, an unknown kid fetches the keys once more, and the new key is known
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, firstFetchAt + 61_000 - Date.now())));
    const after = await rotating.query(PAGE, {}, bearer(await tokenOf(rotated)));
    expect(after.errors).toBeUndefined();
    expect(rotatingJwks.fetches).toBe(2);
    for (let i = 0; i < 3; i++) {
      expect((await rotating.query(PAGE, {}, bearer(await tokenOf(rotated, {}, { kid: "never-published" })))).status).toBe(401);
    }
    expect((await rotating.query(PAGE, {}, bearer(await tokenOf(rotated)))).errors).toBeUndefined();
    expect(rotatingJwks.fetches).toBe(2);
  }, 90_000);
});
