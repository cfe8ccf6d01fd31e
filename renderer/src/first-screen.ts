import { askFirstScreen } from './stores/first-screen'

// main.ts's first import: its body runs before the app's other modules are evaluated
askFirstScreen()
