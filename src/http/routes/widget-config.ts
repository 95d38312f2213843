import { Hono } from 'hono';
import type { Locale } from '../../core/types.ts';
import type { HonoEnv } from '../env.ts';

/** What the embedded widget needs to behave like the server before the reader posts anything. */
export interface WidgetConfig {
  minLength: number;
  maxLength: number;
  moderationMode: 'post' | 'pre';
  defaultLocale: Locale;
}

/**
 * `GET /api/v1/widget-config`: public (CORS like the reader API) so the widget's counter and
 * client-side checks use the limits this deployment enforces rather than hard-coded defaults.
 */
export function widgetConfigRoutes() {
  return new Hono<HonoEnv>().get('/widget-config', (c) => {
    const { config } = c.get('deps');
    const body: WidgetConfig = {
      minLength: config.minLength,
      maxLength: config.maxLength,
      moderationMode: config.moderationMode,
      defaultLocale: config.defaultLocale,
    };
    // Changes only with a redeploy; a short cache spares every page view a request.
    c.header('Cache-Control', 'public, max-age=300');
    return c.json(body);
  });
}
