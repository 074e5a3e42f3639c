// The port rules live with the store (placement needs them too); the canvas and the inspector import them from here.
export { inputPorts, outputPorts, type Port } from '@/lib/store/ports'
