export {}

declare global {
  interface Window {
    callcenter: { readonly platform: string }
  }
}
