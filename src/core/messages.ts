import type { ErrorCode } from './errors.ts';
import type { Locale } from './types.ts';

/**
 * Every message a reader or moderator can see, in Vietnamese and English. `{name}` placeholders are
 * filled from the error's params. The widget imports this catalogue so client and server agree.
 */
const catalogue: Record<Locale, Record<string, string>> = {
  vi: {
    VALIDATION_FAILED: 'Dữ liệu gửi lên không hợp lệ',
    INVALID_JSON: 'Nội dung gửi lên không phải JSON hợp lệ',
    UNSUPPORTED_MEDIA_TYPE: 'Chỉ chấp nhận nội dung application/json',
    PAYLOAD_TOO_LARGE: 'Nội dung gửi lên quá lớn',
    COMMENT_TOO_SHORT: 'Bạn vui lòng nhập từ {min} ký tự trở lên',
    COMMENT_TOO_LONG: 'Bình luận không được vượt quá {max} ký tự',
    COMMENT_REJECTED: 'Bình luận có nội dung không phù hợp, bạn vui lòng sửa lại: {terms}',
    DUPLICATE_COMMENT: 'Bạn đã gửi bình luận này rồi',
    RATE_LIMITED: 'Bạn gửi quá nhanh, vui lòng thử lại sau {retryAfter} giây',
    AUTHOR_BANNED: 'Bạn tạm thời không thể bình luận{until}',
    PARENT_NOT_FOUND: 'Bình luận bạn trả lời không tồn tại',
    NOT_FOUND: 'Không tìm thấy',
    UNAUTHORIZED: 'Cần khóa truy cập hợp lệ',
    FORBIDDEN: 'Khóa truy cập này không có quyền thực hiện thao tác này',
    CONFLICT: 'Xung đột dữ liệu, vui lòng thử lại',
    WEBHOOK_URL_FORBIDDEN: 'Địa chỉ webhook không được phép (địa chỉ nội bộ hoặc không công khai)',
    SERVICE_UNAVAILABLE: 'Dịch vụ tạm thời không sẵn sàng, vui lòng thử lại sau',
    INTERNAL: 'Đã có lỗi xảy ra, vui lòng thử lại sau',
    COMMENT_PENDING: 'Bình luận của bạn đang chờ kiểm duyệt',
    BANNED_UNTIL: ' đến {until}',
    REPORT_RECEIVED: 'Cảm ơn bạn đã báo cáo, ban biên tập sẽ xem xét bình luận này',
  },
  en: {
    VALIDATION_FAILED: 'The request is not valid',
    INVALID_JSON: 'The request body is not valid JSON',
    UNSUPPORTED_MEDIA_TYPE: 'Only application/json is accepted',
    PAYLOAD_TOO_LARGE: 'The request body is too large',
    COMMENT_TOO_SHORT: 'Please enter at least {min} characters',
    COMMENT_TOO_LONG: 'Comments can be at most {max} characters',
    COMMENT_REJECTED: 'Your comment contains language we do not publish; please change: {terms}',
    DUPLICATE_COMMENT: 'You have already posted this comment',
    RATE_LIMITED: 'You are posting too fast; please try again in {retryAfter} seconds',
    AUTHOR_BANNED: 'You cannot comment at the moment{until}',
    PARENT_NOT_FOUND: 'The comment you are replying to does not exist',
    NOT_FOUND: 'Not found',
    UNAUTHORIZED: 'A valid API key is required',
    FORBIDDEN: 'This key is not allowed to do that',
    CONFLICT: 'Conflicting change, please try again',
    WEBHOOK_URL_FORBIDDEN: 'This webhook URL is not allowed (private or non-public address)',
    SERVICE_UNAVAILABLE: 'The service is temporarily unavailable, please try again later',
    INTERNAL: 'Something went wrong, please try again later',
    COMMENT_PENDING: 'Your comment is awaiting moderation',
    BANNED_UNTIL: ' until {until}',
    REPORT_RECEIVED: 'Thank you for your report; our editors will review this comment',
  },
};

export type MessageKey = ErrorCode | 'COMMENT_PENDING' | 'BANNED_UNTIL' | 'REPORT_RECEIVED';

export function message(locale: Locale, key: MessageKey, params: Record<string, string | number> = {}): string {
  if (key === 'AUTHOR_BANNED') return bannedMessage(locale, params.until ? String(params.until) : null);
  const template = catalogue[locale][key] ?? catalogue.en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ''));
}

const MONTHS_EN = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * The end of a ban in UTC, spelled out by hand ("08:30 UTC ngày 27/11/2026", "27 November 2026,
 * 08:30 UTC") so that Node, workerd and every ICU build render the same words.
 */
export function formatUntilUtc(iso: string, locale: Locale): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const two = (n: number) => String(n).padStart(2, '0');
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())} UTC`;
  return locale === 'vi'
    ? `${time} ngày ${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`
    : `${d.getUTCDate()} ${MONTHS_EN[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${time}`;
}

/**
 * "Bạn tạm thời không thể bình luận đến …": AUTHOR_BANNED with the end of the ban when it has one.
 * The widget passes its own `format` to show the reader's local time.
 */
export function bannedMessage(
  locale: Locale,
  until: string | null,
  format: (iso: string, locale: Locale) => string = formatUntilUtc,
): string {
  const end = until ? catalogue[locale].BANNED_UNTIL?.replace('{until}', format(until, locale)) : '';
  return (catalogue[locale].AUTHOR_BANNED ?? '').replace('{until}', end ?? '');
}

/** Picks the reader's language: explicit `?lang`, then Accept-Language, then the default. */
export function pickLocale(
  explicit: string | null | undefined,
  acceptLanguage: string | null | undefined,
  fallback: Locale,
): Locale {
  if (explicit === 'vi' || explicit === 'en') return explicit;
  if (acceptLanguage) {
    const ranked = acceptLanguage
      .split(',')
      .map((part, index) => {
        const [tag = '', ...params] = part.trim().toLowerCase().split(';');
        const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
        const weight = q ? Number(q.slice(2)) : 1;
        return { lang: tag.split('-')[0], weight: Number.isFinite(weight) ? weight : 0, index };
      })
      .filter((x) => x.weight > 0)
      .sort((a, b) => b.weight - a.weight || a.index - b.index);
    for (const { lang } of ranked) {
      if (lang === 'vi' || lang === 'en') return lang;
    }
  }
  return fallback;
}
