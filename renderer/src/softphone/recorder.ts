/**
 * Records a call locally: both directions mixed with WebAudio into one stream, encoded by
 * MediaRecorder as Opus in WebM, handed out in ~1 s slices (main appends them to the file, so
 * a crash loses at most the last second).
 */
export class CallRecorder {
  private ctx: AudioContext | null = null
  private recorder: MediaRecorder | null = null
  private pending: Promise<void> = Promise.resolve()

  constructor(private readonly sink: (chunk: Uint8Array) => Promise<void>) {}

  start(local: MediaStream, remote: MediaStream): void {
    const ctx = new AudioContext()
    const out = ctx.createMediaStreamDestination()
    for (const s of [local, remote]) {
      if (s.getAudioTracks().length > 0) ctx.createMediaStreamSource(s).connect(out)
    }
    const recorder = new MediaRecorder(out.stream, { mimeType: 'audio/webm;codecs=opus' })
    recorder.ondataavailable = (e) => {
      if (e.data.size === 0) return
      // slices are written in order: each waits for the one before
      this.pending = this.pending.then(async () =>
        this.sink(new Uint8Array(await e.data.arrayBuffer())),
      )
    }
    recorder.start(1000)
    this.ctx = ctx
    this.recorder = recorder
  }

  /** stops and resolves once the last slice has been handed to the sink */
  async stop(): Promise<void> {
    const r = this.recorder
    this.recorder = null
    if (r && r.state !== 'inactive') {
      const stopped = new Promise<void>((resolve) => r.addEventListener('stop', () => resolve()))
      r.stop()
      await stopped
    }
    await this.pending
    await this.ctx?.close()
    this.ctx = null
  }
}

export function toBase64(bytes: Uint8Array): string {
  let s = ''
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  }
  return btoa(s)
}
