// Every test process: local AWS credentials, no SDK Node-version warning, quiet logs.
process.env.AWS_REGION = 'local';
process.env.AWS_ACCESS_KEY_ID = 'local';
process.env.AWS_SECRET_ACCESS_KEY = 'local';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.KEPT_LOG_LEVEL = process.env.KEPT_LOG_LEVEL ?? 'SILENT';
