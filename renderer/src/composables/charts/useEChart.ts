import { onBeforeUnmount, onMounted, watch, type Ref } from 'vue'
import { createChart, type Chart, type ChartOption } from './echarts'

/**
 * An ECharts instance on an element: drawn on mount, redrawn when the option changes, resized
 * with its box, disposed on unmount.
 */
export function useEChart(el: Readonly<Ref<HTMLElement | null>>, option: () => ChartOption) {
  let chart: Chart | null = null
  let observer: ResizeObserver | null = null

  onMounted(() => {
    if (!el.value) return
    chart = createChart(el.value)
    chart.setOption(option(), { notMerge: true })
    observer = new ResizeObserver(() => chart?.resize())
    observer.observe(el.value)
  })

  watch(option, (next) => chart?.setOption(next, { notMerge: true }))

  onBeforeUnmount(() => {
    observer?.disconnect()
    chart?.dispose()
    chart = null
  })

  /** the chart as a PNG data URL on white (twice the screen's resolution, for print) */
  function toPng(): string | null {
    return chart?.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' }) ?? null
  }

  return { toPng }
}

/** Saves a data URL as a file through the browser's download (an <a download> click). */
export function downloadDataUrl(url: string, fileName: string): void {
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  a.rel = 'noopener'
  a.style.display = 'none'
  document.body.append(a)
  a.click()
  a.remove()
}
