/**
 * The package's entry point (`import { GenesysMessaging } from 'genesys-rich-messaging'`), bundled into
 * dist/index.js by cdk/build-package.ts with the functions prebuilt beside it.
 */

export { GenesysMessagingPropsError } from './errors';
export * from './genesys-messaging';
export { GenesysMessagingStack, type GenesysMessagingStackProps } from './genesys-messaging-stack';
