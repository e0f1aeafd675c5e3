// An identity provider for tests: a JWKS served on loopback, and tokens signed here with jose.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from "jose";

export const ISSUER = "https://idp.example.test/realms/awsgql";
export const AUDIENCE = "awsgql-gateway";

/** A JWKS endpoint on loopback whose keys a test may change, counting the requests it gets. */
export interface JwksServer {
  url: string;
  keys: JWK[];
  fetches: number;
  close(): Promise<void>;
}

export async function startJwks(keys: JWK[]): Promise<JwksServer> {
  const jwks = { url: "", keys, fetches: 0, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  const server: Server = createServer((req, res) => {
    jwks.fetches += 1;
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ keys: jwks.keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  jwks.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  return jwks;
}

export interface SigningKey {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  alg: "RS256" | "ES256";
  kid: string;
}

export async function signingKey(alg: "RS256" | "ES256", kid: string): Promise<SigningKey> {
  return { ...(await generateKeyPair(alg)), alg, kid };
}

export const published = async (key: SigningKey): Promise<JWK> => ({ ...(await exportJWK(key.publicKey)), kid: key.kid, alg: key.alg, use: "sig" });

export const now = () => Math.floor(Date.now() / 1000);

/** A token as the identity provider signs it, `claims` over the defaults (sub alice, valid for 5 minutes). */
export async function tokenOf(key: SigningKey, claims: JWTPayload = {}, header: { kid?: string } = {}): Promise<string> {
  return new SignJWT({ iss: ISSUER, aud: AUDIENCE, sub: "alice", iat: now(), exp: now() + 300, groups: ["platform"], ...claims })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: "JWT", ...header })
    .sign(key.privateKey);
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
