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
