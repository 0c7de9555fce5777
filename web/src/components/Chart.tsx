import type { ChartConfiguration } from 'chart.js';
import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  DoughnutController,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { useEffect, useRef } from 'react';

import { useI18n } from '../i18n.tsx';

Chart.register(
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  DoughnutController,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
);

/** Colours with at least 3:1 contrast on white, told apart by more than hue alone (legend order, labels). */
export const PALETTE = ['#1f5fa8', '#c2410c', '#15803d', '#7c3aed', '#a16207', '#be123c'] as const;

/**
 * A chart.js canvas described for screen readers by `label`; the numbers it draws are always in a table
 * beside it, so the chart adds reading, never information.
 */
export function ChartCanvas({
  config,
  label,
}: {
  readonly config: ChartConfiguration;
  readonly label: string;
}) {
  const { intlLocale } = useI18n().format;
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, {
      ...config,
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        // Axis ticks and tooltips write numbers as the tables beside them do.
        locale: intlLocale,
        ...config.options,
      },
    });
    return () => chart.destroy();
  }, [config, intlLocale]);
  return (
    <div className="chart">
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}
