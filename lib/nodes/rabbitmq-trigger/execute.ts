export { execute } from '../broker-trigger-execute'
