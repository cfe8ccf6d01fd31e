/** One microphone or speaker as the agent picks it. */
export interface DeviceOption {
  id: string
  /** the system's name for it; '' while names are hidden (the screen numbers it then) */
  label: string
  n: number
}

export interface AudioDeviceList {
  microphones: DeviceOption[]
  speakers: DeviceOption[]
}

// Chromium's aliases for whatever the system default is: '' (系统默认) stands for them
const ALIASES = new Set(['default', 'communications'])

/**
 * The machine's microphones and speakers (enumerateDevices). Their names are hidden until the
 * page may use the microphone, so the microphone is opened once (and closed) to learn them;
 * where that is refused (the softphone is off) the devices are numbered instead.
 */
export async function listAudioDevices(): Promise<AudioDeviceList> {
  const md = navigator.mediaDevices
  let devices = await md.enumerateDevices()
  if (devices.some((d) => d.kind === 'audioinput' && d.label === '')) {
    try {
      const stream = await md.getUserMedia({ audio: true })
      stream.getTracks().forEach((t) => t.stop())
      devices = await md.enumerateDevices()
    } catch {
      // names stay unknown: numbered below
    }
  }
  const of = (kind: MediaDeviceKind): DeviceOption[] =>
    devices
      .filter((d) => d.kind === kind && d.deviceId !== '' && !ALIASES.has(d.deviceId))
      .map((d, i) => ({ id: d.deviceId, label: d.label, n: i + 1 }))
  return { microphones: of('audioinput'), speakers: of('audiooutput') }
}
