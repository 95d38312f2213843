import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and newlines. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Used when ../shared/data is absent, so the benchmark still runs (with less variety). */
const BUILT_IN = [
  'Bài viết rất hay, cảm ơn tác giả đã chia sẻ thông tin hữu ích.',
  'Giá xăng tăng liên tục thế này thì người dân lao động khổ quá.',
  'Mong chính quyền sớm có biện pháp xử lý dứt điểm tình trạng kẹt xe.',
  'Đội tuyển đá quá hay, chúc mừng các cầu thủ và ban huấn luyện!',
  'Thời tiết Hà Nội mấy hôm nay nóng kinh khủng, mọi người giữ sức khỏe nhé.',
  'Tôi nghĩ cần thêm thông tin từ các chuyên gia trước khi kết luận.',
  'Hy vọng giá nhà sẽ giảm để người trẻ có cơ hội mua được nhà.',
  'Quán phở đầu ngõ nhà tôi vẫn giữ giá cũ, ăn ngon mà rẻ.',
  'Học sinh bây giờ áp lực thi cử quá nhiều, thương các cháu.',
  'Cảm ơn các y bác sĩ đã làm việc không quản ngày đêm.',
  'Tin này có nguồn chính thức không vậy mọi người?',
  'Đường sắt tốc độ cao là dự án cần thiết cho đất nước.',
];

/**
 * Clean Vietnamese comments (ViHOS rows with no offensive span) from `dataDir`, or a small built-in
 * list when the data set is missing.
 */
export function loadCleanComments(dataDir: string): { comments: string[]; source: string } {
  const dir = join(dataDir, 'vihos');
  if (!existsSync(dir)) return { comments: BUILT_IN, source: 'built-in list (../shared/data missing)' };
  const out: string[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.csv'))) {
    const rows = parseCsv(readFileSync(join(dir, file), 'utf8'));
    const header = rows.shift() ?? [];
    const content = header.indexOf('content');
    const spans = header.indexOf('index_spans');
    for (const r of rows) {
      const text = (r[content] ?? '').replace(/\s+/g, ' ').trim();
      if ((r[spans] ?? '').trim() === '[]' && text.length >= 8) out.push(text);
    }
  }
  return out.length > 0
    ? { comments: out, source: `ViHOS clean comments (${out.length})` }
    : { comments: BUILT_IN, source: 'built-in list (no clean ViHOS rows)' };
}

/** A small deterministic PRNG (mulberry32), so runs send the same traffic. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Comment bodies as readers write them: one to three sentences from the corpus, under `maxChars`.
 * Combining pieces makes nearly every body unique, so the duplicate rule sees what real traffic gives it.
 */
export function makeBodies(pieces: readonly string[], count: number, seed: number, maxChars = 480): string[] {
  const next = rng(seed);
  const pick = () => pieces[Math.floor(next() * pieces.length)] ?? 'Bình luận';
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = 1 + Math.floor(next() * 3);
    let body = pick();
    for (let k = 1; k < n; k++) body += ` ${pick()}`;
    out.push(body.length > maxChars ? body.slice(0, maxChars).replace(/\s+\S*$/, '') : body);
  }
  return out;
}

/** A body of about `chars` characters (for the engine's per-comment timing). */
export function bodyOfLength(pieces: readonly string[], chars: number, seed: number): string {
  const next = rng(seed);
  let body = '';
  while (body.length < chars) body += `${pieces[Math.floor(next() * pieces.length)] ?? 'Bình luận'} `;
  return body.slice(0, chars);
}

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ'];
const GIVEN = ['An', 'Bình', 'Châu', 'Dũng', 'Giang', 'Hà', 'Hùng', 'Lan', 'Linh', 'Minh', 'Nam', 'Thảo', 'Tuấn'];

/** A distinct reader name for each `n` (rate limits per author must see many authors, as a burst has). */
export function authorName(n: number): string {
  return `${FAMILY[n % FAMILY.length]} ${GIVEN[Math.floor(n / FAMILY.length) % GIVEN.length]} ${n}`;
}

/** The n-th address of a pool of distinct private IPv4 addresses. */
export function clientAddress(n: number): string {
  return `10.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** English comments mixed into the speed corpora: one text in five, as on a Vietnamese news site. */
export const ENGLISH = [
  'Great reporting, thanks for covering this story in such detail.',
  'The government should invest more in public transport, the traffic is terrible.',
  'I visited Hanoi last year and the food was amazing, especially the pho.',
  'This policy makes no sense, who approved it?',
  'Prices keep going up but salaries stay the same.',
  'What the hell is going on with the weather this week?',
];

/**
 * Speed-test texts of about `targetLength` characters (short ones of 15–25, long ones made of several
 * comments), mixing Vietnamese comments with the English ones, deterministic.
 */
export function mixedCorpus(comments: readonly string[], targetLength: number, count: number): string[] {
  const out: string[] = [];
  let k = 0;
  const pick = () => {
    k++;
    return k % 5 === 0 ? ENGLISH[k % ENGLISH.length]! : comments[(k * 7919) % comments.length]!;
  };
  while (out.length < count) {
    if (targetLength <= 30) {
      const t = pick();
      if (t.length >= 15 && t.length <= 25) out.push(t);
      else if (t.length > 25) out.push(t.slice(0, 20));
      continue;
    }
    let s = '';
    while (s.length < targetLength) s += `${pick()} `;
    out.push(s.slice(0, targetLength));
  }
  return out;
}
