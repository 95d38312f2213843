/** A static asset built once at start (Node) or at deploy (Workers), served with an ETag. */
export interface Asset {
  body: string;
  contentType: string;
  etag: string;
}

/**
 * `widget.js`: the embeddable widget; `admin.html`, `admin.js`, `admin.css`: the moderator page;
 * `demo.html`: the demo article (Node only).
 */
export type AssetName = 'widget.js' | 'admin.html' | 'admin.js' | 'admin.css' | 'demo.html';
export type Assets = Partial<Record<AssetName, Asset>>;

export async function makeAsset(body: string, contentType: string): Promise<Asset> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(body));
  let hex = '';
  for (const b of new Uint8Array(digest).subarray(0, 12)) hex += b.toString(16).padStart(2, '0');
  return { body, contentType, etag: `"${hex}"` };
}
