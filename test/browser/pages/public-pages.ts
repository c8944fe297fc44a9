import type { Locator } from 'playwright-core';
import { PageObject } from './page-object.js';

/** `/`: the instance's name, pinned announcements, latest news and the compliance summary. */
export class HomePage extends PageObject {
  protected readonly expectedHeading = 'Pemerintah Provinsi Jawa Tengah';

  section(name: string): Locator {
    return this.page.getByRole('region', { name });
  }

  /** The first pinned announcement's link. */
  firstAnnouncement(): Locator {
    return this.section('Pengumuman penting').getByRole('link').first();
  }
}

/** `/berita/:slug`: one post. */
export class PostPage extends PageObject {
  constructor(
    page: PostPage['page'],
    protected readonly expectedHeading: string,
  ) {
    super(page);
  }
}

/** `/berita`: the list of news and announcements, with search. */
export class NewsListPage extends PageObject {
  protected readonly expectedHeading = 'Berita dan Pengumuman';

  async search(words: string): Promise<void> {
    await this.page.getByRole('searchbox', { name: 'Cari berita dan pengumuman' }).fill(words);
    await this.page.getByRole('button', { name: 'Cari' }).click();
    await this.page.waitForURL(/\/berita\?/);
  }

  results(): Locator {
    return this.page.getByRole('main').getByRole('article');
  }

  /** The cards as they sit on screen, in rows (cards sharing a top edge): whether each has a cover, where its text starts. */
  async cardRows(): Promise<{ cover: boolean; textTop: number }[][]> {
    const rows = new Map<number, { cover: boolean; textTop: number }[]>();
    for (const card of await this.results().all()) {
      const box = await card.boundingBox();
      const text = await card.locator('.card-body').boundingBox();
      if (!box || !text) throw new Error('a news card is not on screen');
      const row = rows.get(Math.round(box.y)) ?? [];
      row.push({
        cover: (await card.locator('img.news-card-cover').count()) > 0,
        textTop: Math.round(text.y),
      });
      rows.set(Math.round(box.y), row);
    }
    return [...rows.values()];
  }
}

/** `/kepatuhan`: every open pact's progress, closed pacts in an archive. */
export class ComplianceListPage extends PageObject {
  protected readonly expectedHeading = /Kepatuhan/;
}

/** `/kepatuhan/:pactId`: one pact's per-unit status. */
export class PactCompliancePage extends PageObject {
  constructor(
    page: PactCompliancePage['page'],
    protected readonly expectedHeading: string,
  ) {
    super(page);
  }

  table(): Locator {
    return this.page.getByRole('table');
  }
}
