import * as echarts from 'echarts';
import { useEffect, useRef } from 'react';

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
