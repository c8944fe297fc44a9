import { describe, expect, it } from 'vitest';
import { timeZone } from '../../src/core/time-zone.js';
import { dailyChart } from '../../src/reports/daily-chart.js';

const WIB = timeZone('Asia/Jakarta');
const at = (iso: string, signed: number) => ({ at: new Date(iso), signed });

describe('the dashboard daily chart', () => {
  const chart = dailyChart(
    [at('2024-01-14T03:00:00Z', 2), at('2024-01-16T03:00:00Z', 4), at('2024-01-16T04:00:00Z', 4)],
    new Date('2024-01-14T02:00:00Z'),
    new Date('2024-01-17T05:00:00Z'),
    WIB,
  );

  it('draws the busiest day to the top of the plot, where the vertical axis reads its count', () => {
    expect(chart.max).toBe(8);
    const busiest = chart.bars.find((bar) => bar.day === '2024-01-16');
    expect(busiest).toMatchObject({ value: 8, y: 0, height: chart.height });
    expect(chart.bars.find((bar) => bar.day === '2024-01-14')).toMatchObject({
      value: 2,
      height: chart.height / 4,
    });
  });

  it('dates both ends of the horizontal axis and gives every day a full-height hover column', () => {
    expect([chart.firstDay, chart.lastDay]).toEqual(['2024-01-14', '2024-01-17']);
    expect(chart.bars.map((bar) => [bar.slotX, bar.slotWidth])).toEqual([
      [0, 150],
      [150, 150],
      [300, 150],
      [450, 150],
    ]);
    expect(chart.empty).toBe(false);
  });

  it('is empty until the first signing, from the day the pact opens (even one opening later)', () => {
    const later = dailyChart([], new Date('2024-01-20T02:00:00Z'), new Date('2024-01-16T05:00:00Z'), WIB);
    expect(later).toMatchObject({
      empty: true,
      total: 0,
      firstDay: '2024-01-20',
      lastDay: '2024-01-20',
    });
  });
});
