/** The pages' names follow the page language: Chinese `name`, and `nameEn` on the English pages where the registry has one. */
import { describe, expect, it } from 'vitest';
import { createFixture } from '../api/fixture.js';
import { apiKey, smallRegistry } from '../helpers/small-registry.js';

describe('names on the pages', () => {
  it('gives Chinese names, or English ones to a page in English', async () => {
    const file = smallRegistry();
    file.counties = file.counties.map((c) =>
      c.id === 'xiji' ? { ...c, name: '西吉县', nameEn: 'Xiji' } : c,
    );
    file.schemes = file.schemes.map((s) =>
      s.id === 'xiji-s1' ? { ...s, name: '西吉县城乡供水工程', nameEn: 'Xiji works' } : s,
    );
    file.sites = file.sites.map((s) =>
      s.id === 'xiji-s1-plant' ? { ...s, name: '西吉净水厂', nameEn: 'Xiji plant' } : s,
    );
    const f = createFixture({ file });
    try {
      const get = async (path: string, lang?: string) => {
        const headers: Record<string, string> = { authorization: `Bearer ${apiKey('ops-xiji')}` };
        if (lang) headers.cookie = `wl-lang=${lang}`;
        return (await f.app.request(path, { headers })).json() as Promise<{
          counties?: { id: string; name: string }[];
          schemes?: { id: string; name: string }[];
          sites?: { id: string; name: string | null }[];
        }>;
      };
      expect((await get('/ui/session')).counties).toEqual([
        { id: 'xiji', name: '西吉县', prefecture: 'guyuan' },
      ]);
      expect((await get('/ui/session', 'en')).counties).toEqual([
        { id: 'xiji', name: 'Xiji', prefecture: 'guyuan' },
      ]);
      const zh = await get('/ui/places?county=xiji');
      const en = await get('/ui/places?county=xiji', 'en');
      expect(zh.schemes?.[0]?.name).toBe('西吉县城乡供水工程');
      expect(en.schemes?.[0]?.name).toBe('Xiji works');
      expect(en.sites?.find((s) => s.id === 'xiji-s1-plant')?.name).toBe('Xiji plant');
      // No English name: the Chinese one stands.
      expect(en.sites?.find((s) => s.id === 'xiji-s1-p1')?.name).toBeNull();
      const page = await (await f.app.request('/coverage?lang=en')).text();
      expect(page).toContain('<option value="county:xiji">Xiji</option>');
    } finally {
      f.close();
    }
  });
});
