/**
 * The moderator page: a small vanilla app served at /admin under a strict CSP. Everything a comment
 * carries (body, names, email, reasons) is inserted with textContent / text nodes, never as HTML, so a
 * comment cannot inject markup even if the CSP were missing.
 */
import type { Ban, CommentStatus, Locale, ModeratedComment, Reason, ReportReason } from '../core/types.ts';

// ---------------------------------------------------------------- types of the API we call

type Action = 'approve' | 'reject' | 'spam';

interface ReaderReport {
  reason: ReportReason;
  note: string | null;
  createdAt: string;
}

/**
 * The API adds the unmasked text when a comment was published with words masked, and the active
 * reader reports (never who sent them).
 */
type QueueComment = ModeratedComment & { originalBody?: string; reports?: ReaderReport[] };

/** The queue's tabs: a stored status, published comments with reports, or the bans list. */
type View = CommentStatus | 'reported' | 'bans';

interface HistoryEntry {
  id: string;
  at: string;
  actor: string;
  action: string;
  from: CommentStatus | null;
  to: CommentStatus;
  note: string | null;
}

interface Stats {
  counts: Record<CommentStatus, number>;
  /** Published comments with reader reports (the Reported tab). */
  reported?: number;
  oldestPendingAt: string | null;
  oldestPendingAgeSeconds: number | null;
}

interface BulkResult {
  id: string;
  ok: boolean;
  status?: CommentStatus;
  error?: { code: string };
}

const STATUSES: readonly CommentStatus[] = ['pending', 'approved', 'rejected', 'spam'];
const VIEWS: readonly View[] = [...STATUSES, 'reported', 'bans'];
const BAN_DAYS: Record<string, number | null> = { '1': 1, '7': 7, '30': 30, forever: null };
const READER_REPORTS = 'READER_REPORTS';
const ACTIONS: readonly Action[] = ['approve', 'reject', 'spam'];
const STATUS_OF: Record<Action, CommentStatus> = { approve: 'approved', reject: 'rejected', spam: 'spam' };
const KEY_ACTIONS: Record<string, Action> = { a: 'approve', r: 'reject', s: 'spam' };

const TOKEN_KEY = 'duyet.admin.token';
const LANG_KEY = 'duyet.admin.lang';

// ---------------------------------------------------------------- messages

const vi = {
  subtitle: 'Kiểm duyệt bình luận',
  skipToQueue: 'Đến danh sách bình luận',
  signIn: 'Đăng nhập',
  signInTitle: 'Đăng nhập',
  signInHint: 'Dán khóa truy cập (quyền moderator hoặc admin). Khóa chỉ được giữ trong thẻ trình duyệt này.',
  tokenLabel: 'Khóa truy cập',
  tokenMissing: 'Vui lòng dán khóa truy cập',
  signingIn: 'Đang kiểm tra khóa…',
  signOut: 'Đăng xuất',
  signedIn: 'Đã đăng nhập',
  signedOut: 'Đã đăng xuất',
  queueTitle: 'Hàng chờ kiểm duyệt',
  statusNav: 'Trạng thái',
  status_pending: 'Chờ duyệt',
  status_approved: 'Đã duyệt',
  status_rejected: 'Từ chối',
  status_spam: 'Spam',
  status_reported: 'Bị báo cáo',
  status_bans: 'Lệnh cấm',
  oldest: 'Bình luận chờ lâu nhất: {age}',
  noPending: 'Không còn bình luận nào chờ duyệt',
  filterThread: 'Chủ đề (thread id)',
  filterQ: 'Tìm trong nội dung',
  filterReason: 'Mã lý do',
  filterApply: 'Lọc',
  filterClear: 'Xóa lọc',
  refresh: 'Làm mới',
  bulkRegion: 'Thao tác hàng loạt',
  selectAll: 'Chọn tất cả',
  selectedCount: 'Đã chọn {n}',
  noneSelected: 'Chưa chọn bình luận nào',
  select: 'Chọn bình luận của {name}',
  approve: 'Duyệt',
  reject: 'Từ chối',
  spam: 'Spam',
  bulkApprove: 'Duyệt {n} bình luận đã chọn',
  bulkReject: 'Từ chối {n} bình luận đã chọn',
  bulkSpam: 'Đánh dấu spam {n} bình luận đã chọn',
  shortcutsTitle: 'Phím tắt',
  keyMove: 'bình luận sau / trước',
  keyApprove: 'duyệt',
  keyReject: 'từ chối',
  keySpam: 'đánh dấu spam',
  keySelect: 'chọn / bỏ chọn',
  keyHistory: 'mở / đóng lịch sử',
  keySearch: 'tìm kiếm',
  keyTabs: 'chuyển trạng thái',
  empty: 'Không có bình luận nào.',
  loadMore: 'Tải thêm',
  loading: 'Đang tải…',
  loaded: '{n} bình luận',
  thread: 'Chủ đề',
  score: 'Điểm {score}',
  reply: 'Trả lời',
  reports: '{n} báo cáo',
  decidedBy: 'Quyết định bởi {who}, {when}',
  notePlaceholder: 'Ghi chú (không bắt buộc)',
  noteLabel: 'Ghi chú cho quyết định',
  maskedAs: 'Đã đăng với phần bị che:',
  originalText: 'Nguyên văn',
  noReasons: 'Không có lý do tự động',
  history: 'Lịch sử',
  historyEmpty: 'Chưa có lịch sử',
  historyCreated: 'tạo',
  historyNew: 'mới',
  actorAuto: 'Hệ thống',
  actorReaders: 'Bạn đọc',
  readerReports: 'Báo cáo của bạn đọc',
  reason_spam: 'Spam, quảng cáo',
  reason_abuse: 'Xúc phạm, thù ghét',
  reason_off_topic: 'Lạc đề',
  reason_other: 'Lý do khác',
  dismissReports: 'Bỏ qua báo cáo',
  dismissed: 'Đã bỏ qua báo cáo về bình luận của {name}',
  banAuthor: 'Cấm người viết',
  banTitle: 'Cấm người viết',
  banWho: 'Tác giả: {who}',
  banDuration: 'Thời hạn',
  ban1d: '1 ngày',
  ban7d: '7 ngày',
  ban30d: '30 ngày',
  banForever: 'Vĩnh viễn',
  banReason: 'Lý do',
  banReasonMissing: 'Vui lòng nhập lý do',
  banRejectPending: 'Từ chối luôn các bình luận đang chờ duyệt của người này',
  banSubmit: 'Cấm',
  cancel: 'Hủy',
  banned: 'Đã cấm {name}',
  bannedRejected: 'Đã cấm {name} và từ chối {n} bình luận đang chờ',
  bansTitle: 'Lệnh cấm',
  bansAll: 'Hiện cả lệnh đã gỡ và đã hết hạn',
  bansEmpty: 'Không có lệnh cấm nào.',
  banIpOnly: 'Theo địa chỉ IP (đã mã hóa)',
  banAlsoIp: '+ địa chỉ IP',
  banUntil: 'Đến {when}',
  banNoEnd: 'Vĩnh viễn',
  banBy: 'Cấm bởi {who}, {when}',
  banActive: 'Đang hiệu lực',
  banLifted: 'Đã gỡ bởi {who}, {when}',
  banExpired: 'Đã hết hạn',
  liftBan: 'Gỡ lệnh cấm',
  liftBanOf: 'Gỡ lệnh cấm {who}',
  lifted: 'Đã gỡ lệnh cấm {who}',
  historyBan: 'cấm người viết',
  historyUnban: 'gỡ lệnh cấm',
  historyDismiss: 'bỏ qua báo cáo',
  historyHide: 'ẩn do bạn đọc báo cáo',
  done_approve: 'Đã duyệt bình luận của {name}',
  done_reject: 'Đã từ chối bình luận của {name}',
  done_spam: 'Đã đánh dấu spam bình luận của {name}',
  bulkDone_approve: 'Đã duyệt {n} bình luận',
  bulkDone_reject: 'Đã từ chối {n} bình luận',
  bulkDone_spam: 'Đã đánh dấu spam {n} bình luận',
  bulkFailed: '{n} bình luận không xử lý được',
  already: 'Bình luận đã ở trạng thái này',
  noCurrent: 'Dùng j / k để chọn một bình luận trước',
  networkError: 'Không kết nối được máy chủ, vui lòng thử lại',
  sessionExpired: 'Phiên đăng nhập không còn hợp lệ',
  langSwitch: 'Switch to English',
  langLabel: 'EN',
} as const;

type MessageKey = keyof typeof vi;

const en: Record<MessageKey, string> = {
  subtitle: 'Comment moderation',
  skipToQueue: 'Skip to the comments',
  signIn: 'Sign in',
  signInTitle: 'Sign in',
  signInHint: 'Paste an API key (moderator or admin role). It is kept only in this browser tab.',
  tokenLabel: 'API key',
  tokenMissing: 'Please paste an API key',
  signingIn: 'Checking the key…',
  signOut: 'Sign out',
  signedIn: 'Signed in',
  signedOut: 'Signed out',
  queueTitle: 'Moderation queue',
  statusNav: 'Status',
  status_pending: 'Pending',
  status_approved: 'Approved',
  status_rejected: 'Rejected',
  status_spam: 'Spam',
  status_reported: 'Reported',
  status_bans: 'Bans',
  oldest: 'Oldest pending comment: {age}',
  noPending: 'Nothing is waiting for review',
  filterThread: 'Thread id',
  filterQ: 'Search the text',
  filterReason: 'Reason code',
  filterApply: 'Filter',
  filterClear: 'Clear',
  refresh: 'Refresh',
  bulkRegion: 'Bulk actions',
  selectAll: 'Select all',
  selectedCount: '{n} selected',
  noneSelected: 'No comment selected',
  select: 'Select the comment by {name}',
  approve: 'Approve',
  reject: 'Reject',
  spam: 'Spam',
  bulkApprove: 'Approve the {n} selected comments',
  bulkReject: 'Reject the {n} selected comments',
  bulkSpam: 'Mark the {n} selected comments as spam',
  shortcutsTitle: 'Shortcuts',
  keyMove: 'next / previous comment',
  keyApprove: 'approve',
  keyReject: 'reject',
  keySpam: 'mark as spam',
  keySelect: 'select / unselect',
  keyHistory: 'open / close history',
  keySearch: 'search',
  keyTabs: 'switch status',
  empty: 'No comments here.',
  loadMore: 'Load more',
  loading: 'Loading…',
  loaded: '{n} comments',
  thread: 'Thread',
  score: 'Score {score}',
  reply: 'Reply',
  reports: '{n} reports',
  decidedBy: 'Decided by {who}, {when}',
  notePlaceholder: 'Note (optional)',
  noteLabel: 'Note for the decision',
  maskedAs: 'Published with words masked:',
  originalText: 'Original text',
  noReasons: 'No automatic reasons',
  history: 'History',
  historyEmpty: 'No history yet',
  historyCreated: 'created',
  historyNew: 'new',
  actorAuto: 'System',
  actorReaders: 'Readers',
  readerReports: 'Reader reports',
  reason_spam: 'Spam or advertising',
  reason_abuse: 'Abusive or hateful',
  reason_off_topic: 'Off topic',
  reason_other: 'Something else',
  dismissReports: 'Dismiss reports',
  dismissed: 'Dismissed the reports on the comment by {name}',
  banAuthor: 'Ban author',
  banTitle: 'Ban the author',
  banWho: 'Author: {who}',
  banDuration: 'Duration',
  ban1d: '1 day',
  ban7d: '7 days',
  ban30d: '30 days',
  banForever: 'Forever',
  banReason: 'Reason',
  banReasonMissing: 'Please give a reason',
  banRejectPending: 'Also reject their pending comments',
  banSubmit: 'Ban',
  cancel: 'Cancel',
  banned: 'Banned {name}',
  bannedRejected: 'Banned {name} and rejected {n} pending comments',
  bansTitle: 'Bans',
  bansAll: 'Show lifted and expired bans too',
  bansEmpty: 'No bans.',
  banIpOnly: 'By IP address (hashed)',
  banAlsoIp: '+ IP address',
  banUntil: 'Until {when}',
  banNoEnd: 'Forever',
  banBy: 'Banned by {who}, {when}',
  banActive: 'Active',
  banLifted: 'Lifted by {who}, {when}',
  banExpired: 'Expired',
  liftBan: 'Lift ban',
  liftBanOf: 'Lift the ban on {who}',
  lifted: 'Lifted the ban on {who}',
  historyBan: 'banned the author',
  historyUnban: 'lifted the ban',
  historyDismiss: 'dismissed reports',
  historyHide: 'hidden by reader reports',
  done_approve: 'Approved the comment by {name}',
  done_reject: 'Rejected the comment by {name}',
  done_spam: 'Marked the comment by {name} as spam',
  bulkDone_approve: 'Approved {n} comments',
  bulkDone_reject: 'Rejected {n} comments',
  bulkDone_spam: 'Marked {n} comments as spam',
  bulkFailed: '{n} comments could not be changed',
  already: 'The comment already has this status',
  noCurrent: 'Use j / k to pick a comment first',
  networkError: 'Cannot reach the server, please try again',
  sessionExpired: 'The session is no longer valid',
  langSwitch: 'Chuyển sang tiếng Việt',
  langLabel: 'VI',
};

const MESSAGES: Record<Locale, Record<MessageKey, string>> = { vi, en };

// ---------------------------------------------------------------- state

interface State {
  token: string | null;
  lang: Locale;
  status: View;
  filters: { threadId: string; q: string; reason: string };
  comments: QueueComment[];
  nextCursor: string | null;
  selected: Set<string>;
  /** The comment j/k/a/r/s/x act on; kept even when focus moves to the filters. */
  current: string | null;
  busy: Set<string>;
  /** Increments per list load so a slow, superseded response is dropped. */
  loadSeq: number;
  stats: Stats | null;
  /** The comment the ban dialog was opened for. */
  banFor: QueueComment | null;
}

const state: State = {
  token: null,
  lang: 'vi',
  status: 'pending',
  filters: { threadId: '', q: '', reason: '' },
  comments: [],
  nextCursor: null,
  selected: new Set(),
  current: null,
  busy: new Set(),
  loadSeq: 0,
  stats: null,
  banFor: null,
};

function t(key: MessageKey, vars: Record<string, string | number> = {}): string {
  return MESSAGES[state.lang][key].replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

// ---------------------------------------------------------------- storage (may throw in locked-down browsers)

function storageGet(storage: () => Storage, key: string): string | null {
  try {
    return storage().getItem(key);
  } catch {
    return null;
  }
}

function storageSet(storage: () => Storage, key: string, value: string | null): void {
  try {
    if (value === null) storage().removeItem(key);
    else storage().setItem(key, value);
  } catch {
    // The page still works for this tab; it just will not remember.
  }
}

// ---------------------------------------------------------------- DOM helpers

function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const node = document.getElementById(id);
  if (!(node instanceof type)) throw new Error(`#${id} missing from admin page`);
  return node;
}

interface ElProps {
  class?: string;
  text?: string;
  attrs?: Record<string, string>;
}

/** Creates an element; strings among the children become text nodes, never markup. */
function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: ElProps = {},
  ...children: (Node | string | null)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.class) node.className = props.class;
  if (props.text !== undefined) node.textContent = props.text;
  for (const [k, v] of Object.entries(props.attrs ?? {})) node.setAttribute(k, v);
  for (const child of children) if (child !== null) node.append(child);
  return node;
}

const ui = {
  signinView: byId('signin-view', HTMLElement),
  signinForm: byId('signin-form', HTMLFormElement),
  token: byId('token', HTMLInputElement),
  signinError: byId('signin-error', HTMLElement),
  signOut: byId('sign-out', HTMLButtonElement),
  langToggle: byId('lang-toggle', HTMLButtonElement),
  queueView: byId('queue-view', HTMLElement),
  tabs: byId('tabs', HTMLElement),
  oldest: byId('oldest', HTMLElement),
  filters: byId('filters', HTMLFormElement),
  fThread: byId('f-thread', HTMLInputElement),
  fQ: byId('f-q', HTMLInputElement),
  fReason: byId('f-reason', HTMLInputElement),
  fClear: byId('f-clear', HTMLButtonElement),
  refresh: byId('refresh', HTMLButtonElement),
  reasonCodes: byId('reason-codes', HTMLDataListElement),
  selectAll: byId('select-all', HTMLInputElement),
  selectedCount: byId('selected-count', HTMLElement),
  list: byId('queue-list', HTMLOListElement),
  empty: byId('empty', HTMLElement),
  loadMore: byId('load-more', HTMLButtonElement),
  status: byId('status', HTMLElement),
  queuePanel: byId('queue-panel', HTMLElement),
  bansPanel: byId('bans-panel', HTMLElement),
  bansAll: byId('bans-all', HTMLInputElement),
  bansList: byId('bans-list', HTMLUListElement),
  bansEmpty: byId('bans-empty', HTMLElement),
  banDialog: byId('ban-dialog', HTMLDialogElement),
  banForm: byId('ban-form', HTMLFormElement),
  banWho: byId('ban-who', HTMLElement),
  banReason: byId('ban-reason', HTMLInputElement),
  banReject: byId('ban-reject', HTMLInputElement),
  banError: byId('ban-error', HTMLElement),
  banCancel: byId('ban-cancel', HTMLButtonElement),
  banSubmit: byId('ban-submit', HTMLButtonElement),
};

// ---------------------------------------------------------------- formatting

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

function relativeFromSeconds(secondsAgo: number): string {
  const rtf = new Intl.RelativeTimeFormat(state.lang, { numeric: 'auto' });
  const abs = Math.abs(secondsAgo);
  for (const [unit, size] of UNITS) {
    if (abs >= size || unit === 'second') {
      // Under a minute reads as "now" rather than a ticking count of seconds.
      if (unit === 'second') return rtf.format(0, 'second');
      return rtf.format(-Math.round(secondsAgo / size), unit);
    }
  }
  return '';
}

function relativeTime(iso: string): string {
  return relativeFromSeconds((Date.now() - Date.parse(iso)) / 1000);
}

function absoluteTime(iso: string): string {
  return new Intl.DateTimeFormat(state.lang === 'vi' ? 'vi-VN' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(new Date(iso));
}

function timeEl(iso: string, className = ''): HTMLTimeElement {
  const node = el('time', {
    class: className,
    text: relativeTime(iso),
    attrs: { datetime: iso, title: absoluteTime(iso) },
  });
  node.dataset.relative = '';
  return node;
}

function statusLabel(status: CommentStatus): string {
  return t(`status_${status}`);
}

function actorLabel(actor: string): string {
  if (actor === 'auto') return t('actorAuto');
  if (actor === 'readers') return t('actorReaders');
  return actor;
}

// ---------------------------------------------------------------- highlighting

interface MarkRange {
  start: number;
  end: number;
  labels: string[];
}

/**
 * Spans from every reason, clamped to the text and merged where they overlap (two rules often match
 * the same words), so each character is marked at most once.
 */
function markRanges(text: string, reasons: readonly Reason[]): MarkRange[] {
  const raw: { start: number; end: number; label: string }[] = [];
  for (const reason of reasons) {
    const label = reason.detail ? `${reason.code}: ${reason.detail}` : reason.code;
    for (const span of reason.spans ?? []) {
      if (!Array.isArray(span) || typeof span[0] !== 'number' || typeof span[1] !== 'number') continue;
      const start = Math.max(0, Math.min(text.length, span[0]));
      const end = Math.max(start, Math.min(text.length, span[1]));
      if (end > start) raw.push({ start, end, label });
    }
  }
  raw.sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: MarkRange[] = [];
  for (const r of raw) {
    const last = merged[merged.length - 1];
    if (last && r.start < last.end) {
      last.end = Math.max(last.end, r.end);
      if (!last.labels.includes(r.label)) last.labels.push(r.label);
    } else {
      merged.push({ start: r.start, end: r.end, labels: [r.label] });
    }
  }
  return merged;
}

/** The text as text nodes, with each matched range wrapped in `<mark>`. */
function highlighted(text: string, reasons: readonly Reason[]): DocumentFragment {
  const fragment = document.createDocumentFragment();
  let pos = 0;
  for (const range of markRanges(text, reasons)) {
    if (range.start > pos) fragment.append(text.slice(pos, range.start));
    fragment.append(
      el('mark', { text: text.slice(range.start, range.end), attrs: { title: range.labels.join(', ') } }),
    );
    pos = range.end;
  }
  if (pos < text.length) fragment.append(text.slice(pos));
  return fragment;
}

// ---------------------------------------------------------------- status messages

let statusTimer: ReturnType<typeof setTimeout> | undefined;

/** Announces through the aria-live region (also shown as a toast). */
function announce(message: string, kind: 'info' | 'error' = 'info'): void {
  clearTimeout(statusTimer);
  ui.status.classList.toggle('is-error', kind === 'error');
  // Clearing first makes screen readers announce a message even when it repeats.
  ui.status.textContent = '';
  ui.status.classList.remove('is-visible');
  requestAnimationFrame(() => {
    ui.status.textContent = message;
    ui.status.classList.add('is-visible');
  });
  statusTimer = setTimeout(() => ui.status.classList.remove('is-visible'), kind === 'error' ? 9000 : 5000);
}

// ---------------------------------------------------------------- API

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface ErrorBody {
  error?: { code?: string; message?: string };
}

async function api<T>(method: string, path: string, body?: unknown, token = state.token): Promise<T> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    // The API answers errors in the reader's language; ours is the UI's.
    'accept-language': state.lang,
  };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      method,
      headers,
      credentials: 'omit',
      cache: 'no-store',
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', t('networkError'));
  }
  let json: unknown = null;
  try {
    json = await res.json();
  } catch {
    // A non-JSON answer (a proxy's error page) is reported by its status below.
  }
  if (!res.ok) {
    const error = (json as ErrorBody | null)?.error;
    const err = new ApiError(res.status, error?.code ?? `HTTP_${res.status}`, error?.message ?? `HTTP ${res.status}`);
    // A key revoked mid-session: back to the sign-in form with the API's message.
    if (res.status === 401 && token === state.token && state.token) signOut(err.message);
    throw err;
  }
  return json as T;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

// ---------------------------------------------------------------- static texts and language

function applyStaticTexts(): void {
  document.documentElement.lang = state.lang;
  for (const node of document.querySelectorAll<HTMLElement>('[data-i18n]')) {
    node.textContent = t(node.dataset.i18n as MessageKey);
  }
  for (const node of document.querySelectorAll<HTMLElement>('[data-i18n-aria-label]')) {
    node.setAttribute('aria-label', t(node.dataset.i18nAriaLabel as MessageKey));
  }
  document.title = `Duyệt · ${t('subtitle')}`;
  ui.langToggle.textContent = t('langLabel');
  ui.langToggle.lang = state.lang === 'vi' ? 'en' : 'vi';
  ui.langToggle.setAttribute('aria-label', t('langSwitch'));
  updateSelectionUi();
  renderStats();
}

function setLang(lang: Locale): void {
  state.lang = lang;
  storageSet(() => localStorage, LANG_KEY, lang);
  const hadFocusInList = ui.list.contains(document.activeElement);
  applyStaticTexts();
  // Re-render the comments in the new language, keeping the current one focused.
  const fresh = state.comments.map(renderComment);
  ui.list.replaceChildren(...fresh);
  syncCurrent(hadFocusInList);
}

// ---------------------------------------------------------------- sign in / out

function showSignIn(error = ''): void {
  ui.queueView.hidden = true;
  ui.signOut.hidden = true;
  ui.signinView.hidden = false;
  ui.signinError.textContent = error;
  ui.token.setAttribute('aria-invalid', error ? 'true' : 'false');
  ui.token.focus();
}

function signOut(message = ''): void {
  state.token = null;
  storageSet(() => sessionStorage, TOKEN_KEY, null);
  state.comments = [];
  state.selected.clear();
  state.current = null;
  state.stats = null;
  state.loadSeq++;
  ui.list.replaceChildren();
  ui.token.value = '';
  showSignIn(message);
  announce(message || t('signedOut'), message ? 'error' : 'info');
}

async function signIn(token: string): Promise<void> {
  if (!token) {
    showSignIn(t('tokenMissing'));
    return;
  }
  ui.signinError.textContent = t('signingIn');
  try {
    // Stats need the moderator role: a cheap way to check the key before keeping it.
    const stats = await api<Stats>('GET', '/moderation/stats', undefined, token);
    state.token = token;
    storageSet(() => sessionStorage, TOKEN_KEY, token);
    ui.token.value = '';
    state.stats = stats;
    showQueue();
    announce(t('signedIn'));
  } catch (err) {
    showSignIn(errorMessage(err));
  }
}

function showQueue(): void {
  ui.signinView.hidden = true;
  ui.queueView.hidden = false;
  ui.signOut.hidden = false;
  ui.signinError.textContent = '';
  renderStats();
  void refreshStats();
  void loadQueue(false);
}

// ---------------------------------------------------------------- stats

async function refreshStats(): Promise<void> {
  try {
    state.stats = await api<Stats>('GET', '/moderation/stats');
    renderStats();
  } catch (err) {
    if (err instanceof ApiError && err.status !== 401) announce(err.message, 'error');
  }
}

function renderStats(): void {
  for (const tab of ui.tabs.querySelectorAll<HTMLButtonElement>('[data-status]')) {
    tab.setAttribute('aria-pressed', String(tab.dataset.status === state.status));
  }
  const stats = state.stats;
  for (const status of STATUSES) {
    const node = ui.tabs.querySelector<HTMLElement>(`[data-count="${status}"]`);
    if (node) node.textContent = stats ? new Intl.NumberFormat(state.lang).format(stats.counts[status]) : '–';
  }
  const reported = ui.tabs.querySelector<HTMLElement>('[data-count="reported"]');
  if (reported) reported.textContent = stats ? new Intl.NumberFormat(state.lang).format(stats.reported ?? 0) : '–';
  if (!stats) {
    ui.oldest.textContent = '';
    return;
  }
  ui.oldest.textContent =
    stats.oldestPendingAgeSeconds === null
      ? t('noPending')
      : t('oldest', { age: relativeFromSeconds(stats.oldestPendingAgeSeconds) });
  ui.oldest.classList.toggle('is-late', (stats.oldestPendingAgeSeconds ?? 0) > 24 * 3600);
  document.title =
    stats.counts.pending > 0 ? `(${stats.counts.pending}) Duyệt · ${t('subtitle')}` : `Duyệt · ${t('subtitle')}`;
}

// ---------------------------------------------------------------- the queue

/** Page size: 50, or `?limit=` (1–200) in the page URL for very long or very short pages. */
function pageSize(): number {
  const n = Number(new URLSearchParams(location.search).get('limit'));
  return Number.isInteger(n) && n >= 1 && n <= 200 ? n : 50;
}

async function loadQueue(append: boolean): Promise<void> {
  const bans = state.status === 'bans';
  ui.queuePanel.hidden = bans;
  ui.bansPanel.hidden = !bans;
  if (bans) {
    await loadBans();
    return;
  }
  const seq = ++state.loadSeq;
  const params = new URLSearchParams({ status: state.status, limit: String(pageSize()) });
  const { threadId, q, reason } = state.filters;
  if (threadId) params.set('threadId', threadId);
  if (q) params.set('q', q);
  if (reason) params.set('reason', reason);
  if (append && state.nextCursor) params.set('cursor', state.nextCursor);
  ui.list.setAttribute('aria-busy', 'true');
  ui.loadMore.disabled = true;
  try {
    const page = await api<{ comments: QueueComment[]; nextCursor: string | null }>(
      'GET',
      `/moderation/comments?${params}`,
    );
    if (seq !== state.loadSeq) return;
    if (!append) {
      state.comments = [];
      state.selected.clear();
      state.current = null;
      ui.list.replaceChildren();
    }
    const known = new Set(state.comments.map((c) => c.id));
    const added = page.comments.filter((c) => !known.has(c.id));
    state.comments.push(...added);
    ui.list.append(...added.map(renderComment));
    state.nextCursor = page.nextCursor;
    if (append) announce(t('loaded', { n: state.comments.length }));
    if (!state.current && state.comments[0]) state.current = state.comments[0].id;
    syncCurrent(false);
  } catch (err) {
    if (seq === state.loadSeq && !(err instanceof ApiError && err.status === 401)) {
      announce(errorMessage(err), 'error');
    }
  } finally {
    if (seq === state.loadSeq) {
      ui.list.removeAttribute('aria-busy');
      ui.loadMore.disabled = false;
      updateListChrome();
    }
  }
}

function updateListChrome(): void {
  ui.empty.hidden = state.comments.length > 0;
  ui.loadMore.hidden = !state.nextCursor;
  updateSelectionUi();
  const codes = new Set<string>();
  for (const c of state.comments) for (const r of c.reasons) codes.add(r.code);
  ui.reasonCodes.replaceChildren(...[...codes].sort().map((code) => el('option', { attrs: { value: code } })));
}

function itemOf(id: string): HTMLLIElement | null {
  for (const node of ui.list.children) {
    if (node instanceof HTMLLIElement && node.dataset.id === id) return node;
  }
  return null;
}

function commentOf(id: string): QueueComment | undefined {
  return state.comments.find((c) => c.id === id);
}

function renderComment(c: QueueComment): HTMLLIElement {
  const selected = state.selected.has(c.id);
  const item = el('li', { class: 'comment', attrs: { tabindex: '-1', 'aria-labelledby': `author-${c.id}` } });
  item.dataset.id = c.id;
  item.classList.toggle('is-selected', selected);

  const checkbox = el('input', {
    class: 'select-box',
    attrs: { type: 'checkbox', 'aria-label': t('select', { name: c.authorName }) },
  });
  checkbox.checked = selected;
  checkbox.addEventListener('change', () => setSelected(c.id, checkbox.checked));

  const author = el(
    'p',
    { class: 'author', attrs: { id: `author-${c.id}` } },
    el('span', { class: 'author-name', text: c.authorName }),
    c.authorEmail ? el('span', { class: 'author-email', text: c.authorEmail }) : null,
  );
  const meta = el(
    'p',
    { class: 'meta' },
    el(
      'span',
      { class: 'thread' },
      el('span', { class: 'meta-label', text: `${t('thread')} ` }),
      el('code', { text: c.threadId }),
    ),
    timeEl(c.createdAt),
    el('span', {
      class: 'score',
      text: t('score', { score: new Intl.NumberFormat(state.lang, { maximumFractionDigits: 2 }).format(c.score) }),
    }),
    c.parentId ? el('span', { class: 'badge', text: t('reply') }) : null,
    c.reportCount > 0 ? el('span', { class: 'badge badge-warn', text: t('reports', { n: c.reportCount }) }) : null,
  );
  const head = el('div', { class: 'comment-head' }, checkbox, el('div', { class: 'who' }, author, meta));

  const reasons =
    c.reasons.length > 0
      ? el(
          'ul',
          { class: 'reasons' },
          ...c.reasons.map((r) =>
            el(
              'li',
              { class: 'reason' },
              el('code', { class: 'reason-code', text: r.code }),
              el('span', { class: 'reason-rule', text: r.rule }),
              r.detail ? el('span', { class: 'reason-detail', text: r.detail }) : null,
            ),
          ),
        )
      : el('p', { class: 'reasons-none muted', text: t('noReasons') });

  // Spans point into the text as written; when words were masked for publishing that is originalBody.
  const source = c.originalBody ?? c.body;
  const body = el('blockquote', { class: 'body' });
  if (c.originalBody !== undefined) body.setAttribute('aria-label', t('originalText'));
  body.append(highlighted(source, c.reasons));
  const masked =
    c.originalBody !== undefined
      ? el(
          'p',
          { class: 'masked muted' },
          el('span', { text: `${t('maskedAs')} ` }),
          el('span', { class: 'masked-body', text: c.body }),
        )
      : null;

  const decided =
    c.decidedAt && c.status !== 'pending'
      ? el('p', {
          class: 'decided muted',
          text: t('decidedBy', { who: actorLabel(c.decidedBy ?? ''), when: relativeTime(c.decidedAt) }),
        })
      : null;

  const note = el('input', {
    class: 'note',
    attrs: {
      type: 'text',
      name: 'note',
      maxlength: '2000',
      autocomplete: 'off',
      placeholder: t('notePlaceholder'),
      'aria-label': t('noteLabel'),
    },
  });
  const buttons = ACTIONS.map((action) => {
    const button = el('button', { class: `btn btn-${action}`, text: t(action), attrs: { type: 'button' } });
    button.dataset.action = action;
    button.disabled = STATUS_OF[action] === c.status;
    button.addEventListener('click', () => void decide(c.id, action));
    return button;
  });
  const hiddenByReports = c.status === 'pending' && c.reasons.some((r) => r.code === READER_REPORTS);
  if (c.reportCount > 0 && (c.status === 'approved' || hiddenByReports)) {
    const dismiss = el('button', { class: 'btn btn-dismiss', text: t('dismissReports'), attrs: { type: 'button' } });
    dismiss.dataset.dismiss = '';
    dismiss.addEventListener('click', () => void dismissReports(c.id));
    buttons.push(dismiss);
  }
  const ban = el('button', { class: 'btn btn-ban', text: t('banAuthor'), attrs: { type: 'button' } });
  ban.dataset.ban = '';
  ban.addEventListener('click', () => openBanDialog(c, ban));
  buttons.push(ban);
  const actions = el('div', { class: 'actions' }, note, el('div', { class: 'action-buttons' }, ...buttons));

  const historyBody = el('div', { class: 'history-body' });
  const history = el('details', { class: 'history' }, el('summary', { text: t('history') }), historyBody);
  history.addEventListener('toggle', () => {
    if (history.open) void loadHistory(c.id, historyBody);
  });

  item.append(...[head, reasons, renderReports(c), body, masked, decided, actions, history].filter((n) => n !== null));
  item.addEventListener('focusin', () => {
    if (state.current !== c.id) {
      state.current = c.id;
      syncCurrent(false);
    }
  });
  return item;
}

async function loadHistory(id: string, target: HTMLElement): Promise<void> {
  target.replaceChildren(el('p', { class: 'muted', text: t('loading') }));
  try {
    const { history } = await api<{ comment: QueueComment; history: HistoryEntry[] }>(
      'GET',
      `/moderation/comments/${encodeURIComponent(id)}`,
    );
    if (history.length === 0) {
      target.replaceChildren(el('p', { class: 'muted', text: t('historyEmpty') }));
      return;
    }
    target.replaceChildren(
      el(
        'ol',
        { class: 'history-list' },
        ...history.map((h) =>
          el(
            'li',
            { class: 'history-entry' },
            el('time', { text: absoluteTime(h.at), attrs: { datetime: h.at } }),
            el('span', { class: 'history-actor', text: actorLabel(h.actor) }),
            el(
              'span',
              { class: 'history-change' },
              h.from ? statusLabel(h.from) : t('historyNew'),
              el('span', { class: 'arrow', text: ' → ' }),
              statusLabel(h.to),
            ),
            h.action in HISTORY_ACTIONS
              ? el('span', { class: 'history-action', text: t(HISTORY_ACTIONS[h.action] ?? 'history') })
              : null,
            h.note ? el('q', { class: 'history-note', text: h.note }) : null,
          ),
        ),
      ),
    );
  } catch (err) {
    target.replaceChildren(el('p', { class: 'form-error', text: errorMessage(err) }));
  }
}

/** Actions whose history entry needs a word besides its from → to (bans and reports). */
const HISTORY_ACTIONS: Record<string, MessageKey> = {
  ban: 'historyBan',
  unban: 'historyUnban',
  'dismiss-reports': 'historyDismiss',
  hide: 'historyHide',
};

/** What readers reported, oldest first: reason, note and when; never who. */
function renderReports(c: QueueComment): HTMLElement | null {
  const reports = c.reports ?? [];
  if (reports.length === 0) return null;
  return el(
    'div',
    { class: 'reports' },
    el('p', { class: 'reports-title', text: `${t('readerReports')} (${reports.length})` }),
    el(
      'ul',
      { class: 'reports-list' },
      ...reports.map((r) =>
        el(
          'li',
          { class: 'report' },
          el('span', { class: 'report-reason', text: t(`reason_${r.reason}`) }),
          r.note ? el('q', { class: 'report-note', text: r.note }) : null,
          timeEl(r.createdAt, 'report-time'),
        ),
      ),
    ),
  );
}

async function dismissReports(id: string): Promise<void> {
  const comment = commentOf(id);
  if (!comment || state.busy.has(id)) return;
  const item = itemOf(id);
  const note = item?.querySelector<HTMLInputElement>('input.note')?.value.trim() ?? '';
  state.busy.add(id);
  item?.setAttribute('aria-busy', 'true');
  try {
    const res = await api<{ comment: QueueComment }>(
      'POST',
      `/moderation/comments/${encodeURIComponent(id)}/dismiss-reports`,
      note ? { note } : {},
    );
    // Dismissed reports leave the Reported view; a comment published again leaves the pending one.
    if (state.status === 'reported' || res.comment.status !== state.status) removeComment(id);
    else replaceComment(res.comment);
    announce(t('dismissed', { name: comment.authorName }));
    updateListChrome();
    void refreshStats();
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 401)) announce(errorMessage(err), 'error');
  } finally {
    state.busy.delete(id);
    itemOf(id)?.removeAttribute('aria-busy');
  }
}

// ---------------------------------------------------------------- bans

let banOpener: HTMLElement | null = null;

function openBanDialog(c: QueueComment, opener: HTMLElement): void {
  state.banFor = c;
  banOpener = opener;
  ui.banForm.reset();
  ui.banError.textContent = '';
  ui.banReason.removeAttribute('aria-invalid');
  ui.banWho.textContent = t('banWho', { who: c.authorEmail ? `${c.authorName} <${c.authorEmail}>` : c.authorName });
  ui.banDialog.showModal();
  ui.banReason.focus();
}

async function submitBan(): Promise<void> {
  const c = state.banFor;
  if (!c || ui.banSubmit.disabled) return;
  const reason = ui.banReason.value.trim();
  if (!reason) {
    ui.banError.textContent = t('banReasonMissing');
    ui.banReason.setAttribute('aria-invalid', 'true');
    ui.banReason.focus();
    return;
  }
  const duration = ui.banForm.querySelector<HTMLInputElement>('input[name="duration"]:checked')?.value ?? '7';
  const days = BAN_DAYS[duration] ?? null;
  const until = days === null ? null : new Date(Date.now() + days * 24 * 3600 * 1000).toISOString();
  ui.banSubmit.disabled = true;
  try {
    const { rejected } = await api<{ ban: Ban; rejected: string[] }>('POST', '/moderation/bans', {
      commentId: c.id,
      until,
      reason,
      rejectPending: ui.banReject.checked,
    });
    ui.banDialog.close();
    for (const id of rejected) if (state.status !== 'rejected') removeComment(id);
    updateListChrome();
    announce(
      rejected.length > 0
        ? t('bannedRejected', { name: c.authorName, n: rejected.length })
        : t('banned', { name: c.authorName }),
    );
    void refreshStats();
  } catch (err) {
    ui.banError.textContent = errorMessage(err);
  } finally {
    ui.banSubmit.disabled = false;
  }
}

async function loadBans(): Promise<void> {
  const seq = ++state.loadSeq;
  ui.bansList.setAttribute('aria-busy', 'true');
  try {
    const { bans } = await api<{ bans: Ban[] }>('GET', `/moderation/bans${ui.bansAll.checked ? '?all=true' : ''}`);
    if (seq !== state.loadSeq) return;
    ui.bansList.replaceChildren(...bans.map(renderBan));
    ui.bansEmpty.hidden = bans.length > 0;
  } catch (err) {
    if (seq === state.loadSeq && !(err instanceof ApiError && err.status === 401)) {
      announce(errorMessage(err), 'error');
    }
  } finally {
    if (seq === state.loadSeq) ui.bansList.removeAttribute('aria-busy');
  }
}

function banSubject(b: Ban): string {
  return b.email ?? t('banIpOnly');
}

function renderBan(b: Ban): HTMLLIElement {
  const item = el('li', { class: `ban${b.active ? '' : ' is-inactive'}` });
  item.dataset.id = b.id;
  const status = b.liftedAt
    ? t('banLifted', { who: actorLabel(b.liftedBy ?? ''), when: absoluteTime(b.liftedAt) })
    : b.active
      ? t('banActive')
      : t('banExpired');
  item.append(
    el(
      'p',
      { class: 'ban-who' },
      el('strong', { text: banSubject(b) }),
      b.email && b.byIp ? el('span', { class: 'badge', text: t('banAlsoIp') }) : null,
      el('span', { class: `badge${b.active ? ' badge-warn' : ''}`, text: status }),
    ),
    el('p', { class: 'ban-reason', text: b.reason }),
    el(
      'p',
      { class: 'ban-meta muted' },
      el('span', { text: b.until ? t('banUntil', { when: absoluteTime(b.until) }) : t('banNoEnd') }),
      el('span', { text: ` · ${t('banBy', { who: actorLabel(b.createdBy), when: absoluteTime(b.createdAt) })}` }),
    ),
  );
  if (b.active) {
    const lift = el('button', {
      class: 'btn',
      text: t('liftBan'),
      attrs: { type: 'button', 'aria-label': t('liftBanOf', { who: banSubject(b) }) },
    });
    lift.addEventListener('click', () => void liftBan(b, lift));
    item.append(el('div', { class: 'action-buttons' }, lift));
  }
  return item;
}

async function liftBan(b: Ban, button: HTMLButtonElement): Promise<void> {
  button.disabled = true;
  try {
    const { ban } = await api<{ ban: Ban }>('DELETE', `/moderation/bans/${encodeURIComponent(b.id)}`);
    const old = [...ui.bansList.children].find((n) => n instanceof HTMLElement && n.dataset.id === b.id);
    if (ui.bansAll.checked) old?.replaceWith(renderBan(ban));
    else old?.remove();
    ui.bansEmpty.hidden = ui.bansList.childElementCount > 0;
    ui.bansList.focus();
    announce(t('lifted', { who: banSubject(b) }));
  } catch (err) {
    button.disabled = false;
    if (!(err instanceof ApiError && err.status === 401)) announce(errorMessage(err), 'error');
  }
}

/** Roving tabindex: only the current comment is in the Tab order; focus follows it when asked. */
function syncCurrent(focus: boolean): void {
  if (state.current && !commentOf(state.current)) state.current = null;
  for (const node of ui.list.children) {
    if (!(node instanceof HTMLLIElement)) continue;
    const isCurrent = node.dataset.id === state.current;
    node.classList.toggle('is-current', isCurrent);
    node.tabIndex = isCurrent ? 0 : -1;
    if (isCurrent && focus) {
      node.focus();
      node.scrollIntoView({ block: 'nearest' });
    }
  }
}

function move(delta: number): void {
  if (state.comments.length === 0) return;
  const current = state.current ? itemOf(state.current) : null;
  // Coming from elsewhere on the page, the first j/k brings focus back to where the moderator was.
  if (current && !current.contains(document.activeElement)) {
    syncCurrent(true);
    return;
  }
  const index = state.comments.findIndex((c) => c.id === state.current);
  const next = index === -1 ? 0 : Math.max(0, Math.min(state.comments.length - 1, index + delta));
  state.current = state.comments[next]?.id ?? null;
  syncCurrent(true);
}

/** The comment a shortcut acts on: the one holding focus, else the current one. */
function activeId(): string | null {
  const focused = document.activeElement?.closest<HTMLElement>('li.comment');
  if (focused && ui.list.contains(focused)) return focused.dataset.id ?? null;
  return state.current;
}

function removeComment(id: string): void {
  const index = state.comments.findIndex((c) => c.id === id);
  if (index === -1) return;
  const item = itemOf(id);
  const hadFocus = item?.contains(document.activeElement) ?? false;
  state.comments.splice(index, 1);
  state.selected.delete(id);
  item?.remove();
  if (state.current === id) {
    state.current = (state.comments[index] ?? state.comments[index - 1])?.id ?? null;
  }
  // Keep the moderator's place: the next comment takes the focus of the one that left.
  syncCurrent(hadFocus);
  if (hadFocus && !state.current) ui.list.focus();
}

function replaceComment(c: QueueComment): void {
  const index = state.comments.findIndex((x) => x.id === c.id);
  if (index === -1) return;
  state.comments[index] = c;
  const old = itemOf(c.id);
  if (!old) return;
  const hadFocus = old.contains(document.activeElement);
  old.replaceWith(renderComment(c));
  syncCurrent(hadFocus);
}

async function decide(id: string, action: Action): Promise<void> {
  const comment = commentOf(id);
  if (!comment || state.busy.has(id)) return;
  if (STATUS_OF[action] === comment.status) {
    announce(t('already'));
    return;
  }
  const item = itemOf(id);
  const note = item?.querySelector<HTMLInputElement>('input.note')?.value.trim() ?? '';
  state.busy.add(id);
  item?.setAttribute('aria-busy', 'true');
  for (const b of item?.querySelectorAll<HTMLButtonElement>('button[data-action]') ?? []) b.disabled = true;
  try {
    const res = await api<{ comment: QueueComment }>(
      'POST',
      `/moderation/comments/${encodeURIComponent(id)}/${action}`,
      note ? { note } : {},
    );
    if (res.comment.status !== state.status) removeComment(id);
    else replaceComment(res.comment);
    announce(t(`done_${action}`, { name: comment.authorName }));
    updateListChrome();
    void refreshStats();
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 401)) announce(errorMessage(err), 'error');
    const current = commentOf(id);
    if (current) replaceComment(current);
  } finally {
    state.busy.delete(id);
    itemOf(id)?.removeAttribute('aria-busy');
  }
}

// ---------------------------------------------------------------- selection and bulk

function setSelected(id: string, on: boolean): void {
  if (on) state.selected.add(id);
  else state.selected.delete(id);
  const item = itemOf(id);
  if (item) {
    item.classList.toggle('is-selected', on);
    const box = item.querySelector<HTMLInputElement>('input.select-box');
    if (box) box.checked = on;
  }
  updateSelectionUi();
}

function updateSelectionUi(): void {
  const n = state.selected.size;
  ui.selectedCount.textContent = n > 0 ? t('selectedCount', { n }) : t('noneSelected');
  ui.selectAll.checked = n > 0 && n === state.comments.length;
  ui.selectAll.indeterminate = n > 0 && n < state.comments.length;
  ui.selectAll.disabled = state.comments.length === 0;
  const labels: Record<Action, MessageKey> = { approve: 'bulkApprove', reject: 'bulkReject', spam: 'bulkSpam' };
  for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-bulk]')) {
    const action = button.dataset.bulk as Action;
    button.disabled = n === 0 || STATUS_OF[action] === state.status;
    button.setAttribute('aria-label', t(labels[action], { n }));
  }
}

async function bulk(action: Action): Promise<void> {
  const ids = state.comments.filter((c) => state.selected.has(c.id) && !state.busy.has(c.id)).map((c) => c.id);
  if (ids.length === 0) return;
  for (const id of ids) state.busy.add(id);
  const buttons = [...document.querySelectorAll<HTMLButtonElement>('button[data-bulk]')];
  for (const b of buttons) b.disabled = true;
  try {
    const { results } = await api<{ results: BulkResult[] }>('POST', '/moderation/comments/bulk', { action, ids });
    let ok = 0;
    let failed = 0;
    for (const r of results) {
      if (!r.ok) {
        failed++;
        continue;
      }
      ok++;
      if (r.status && r.status !== state.status) removeComment(r.id);
      else setSelected(r.id, false);
    }
    const message = t(`bulkDone_${action}`, { n: ok });
    announce(failed > 0 ? `${message}. ${t('bulkFailed', { n: failed })}` : message, failed > 0 ? 'error' : 'info');
    void refreshStats();
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 401)) announce(errorMessage(err), 'error');
  } finally {
    for (const id of ids) state.busy.delete(id);
    updateListChrome();
  }
}

// ---------------------------------------------------------------- keyboard

const NON_TEXT_INPUTS = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file', 'image']);

/** Shortcuts must not steal letters from someone typing a note or a search. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !NON_TEXT_INPUTS.has(target.type);
}

function onKeydown(e: KeyboardEvent): void {
  if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
  if (ui.queueView.hidden || ui.banDialog.open) return;
  if (isTyping(e.target)) {
    // Escape leaves a field so the shortcuts work again.
    if (e.key === 'Escape' && e.target instanceof HTMLElement && e.target !== ui.token) {
      const item = e.target.closest<HTMLElement>('li.comment');
      if (item) item.focus();
      else e.target.blur();
    }
    return;
  }
  const key = e.key;
  if (key === 'j' || key === 'k') {
    move(key === 'j' ? 1 : -1);
  } else if (key in KEY_ACTIONS) {
    const id = activeId();
    const action = KEY_ACTIONS[key];
    if (id && action) void decide(id, action);
    else announce(t('noCurrent'));
  } else if (key === 'x') {
    const id = activeId();
    if (id) setSelected(id, !state.selected.has(id));
    else announce(t('noCurrent'));
  } else if (key === 'h') {
    const id = activeId();
    const details = id ? itemOf(id)?.querySelector('details.history') : null;
    if (details instanceof HTMLDetailsElement) details.open = !details.open;
  } else if (key === '/') {
    ui.fQ.focus();
    ui.fQ.select();
  } else if (key >= '1' && key <= '6' && key.length === 1) {
    const view = VIEWS[Number(key) - 1];
    if (view) switchStatus(view);
  } else {
    return;
  }
  e.preventDefault();
}

// ---------------------------------------------------------------- filters and tabs

function switchStatus(status: View): void {
  state.status = status;
  state.nextCursor = null;
  renderStats();
  updateSelectionUi();
  void loadQueue(false);
}

function readFilters(): void {
  const reason = ui.fReason.value.trim().toUpperCase();
  ui.fReason.value = reason;
  state.filters = { threadId: ui.fThread.value.trim(), q: ui.fQ.value.trim(), reason };
}

// ---------------------------------------------------------------- wiring

function init(): void {
  const storedLang = storageGet(() => localStorage, LANG_KEY);
  state.lang = storedLang === 'en' ? 'en' : 'vi';
  applyStaticTexts();

  ui.signinForm.addEventListener('submit', (e) => {
    e.preventDefault();
    void signIn(ui.token.value.trim());
  });
  ui.signOut.addEventListener('click', () => signOut());
  ui.langToggle.addEventListener('click', () => setLang(state.lang === 'vi' ? 'en' : 'vi'));
  ui.tabs.addEventListener('click', (e) => {
    const tab = (e.target as Element | null)?.closest<HTMLButtonElement>('button[data-status]');
    const status = tab?.dataset.status as View | undefined;
    if (status && VIEWS.includes(status)) switchStatus(status);
  });
  ui.filters.addEventListener('submit', (e) => {
    e.preventDefault();
    readFilters();
    void loadQueue(false);
  });
  ui.fClear.addEventListener('click', () => {
    ui.filters.reset();
    readFilters();
    void loadQueue(false);
  });
  ui.refresh.addEventListener('click', () => {
    void refreshStats();
    void loadQueue(false);
  });
  ui.loadMore.addEventListener('click', () => void loadQueue(true));
  ui.bansAll.addEventListener('change', () => void loadBans());
  ui.banForm.addEventListener('submit', (e) => {
    e.preventDefault();
    void submitBan();
  });
  ui.banCancel.addEventListener('click', () => ui.banDialog.close());
  ui.banDialog.addEventListener('close', () => {
    state.banFor = null;
    // Back to the button that opened the dialog, if its comment is still listed.
    if (banOpener?.isConnected) banOpener.focus();
    banOpener = null;
  });
  ui.selectAll.addEventListener('change', () => {
    const on = ui.selectAll.checked;
    for (const c of state.comments) setSelected(c.id, on);
  });
  for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-bulk]')) {
    button.addEventListener('click', () => void bulk(button.dataset.bulk as Action));
  }
  document.addEventListener('keydown', onKeydown);
  // Relative ages drift while a moderator works; refresh them once a minute.
  setInterval(() => {
    for (const node of document.querySelectorAll<HTMLTimeElement>('time[data-relative]')) {
      node.textContent = relativeTime(node.dateTime);
    }
  }, 60_000);

  const token = storageGet(() => sessionStorage, TOKEN_KEY);
  if (token) {
    state.token = token;
    showQueue();
  } else {
    showSignIn();
  }
}

init();
