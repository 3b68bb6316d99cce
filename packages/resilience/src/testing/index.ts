export { scriptedOperation, type ScriptStep } from './scripted-operation';
