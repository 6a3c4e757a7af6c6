import { Card, Title } from '@mantine/core';
import * as echarts from 'echarts';
import { useEffect, useRef, type ReactNode } from 'react';

/**
 * One ECharts chart: initialised on mount, given new options when they change, resized with its
 * box, disposed on unmount. It is an image with a name (role="img", aria-label); the page puts a
 * table or text with the same numbers beside it, for screen readers and for reading exact figures.
 */
export function Chart({ option, label, height = 280 }: { option: echarts.EChartsOption; label: string; height?: number }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    if (!box.current) return;
    const c = echarts.init(box.current, undefined, { renderer: 'canvas' });
    chart.current = c;
    const observer = new ResizeObserver(() => c.resize());
    observer.observe(box.current);
    return () => {
      observer.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption({ animation: false, aria: { enabled: false }, ...option }, true);
  }, [option]);
  // The name is on a wrapper: ECharts writes its own attributes on the element it draws in.
  return (
    <div role="img" aria-label={label} data-testid="chart">
      <div ref={box} style={{ width: '100%', height }} />
    </div>
  );
}

/** A chart with its figures beside it: the same numbers as a table, for reading and for screen readers. */
export function ChartCard({ title, label, option, children, testId }: { title: string; label: string; option: echarts.EChartsOption; children: ReactNode; testId: string }) {
  return (
    <Card withBorder data-testid={testId}>
      <Title order={3} size="h5" mb="xs">
        {title}
      </Title>
      <Chart option={option} label={label} />
      {children}
    </Card>
  );
}
