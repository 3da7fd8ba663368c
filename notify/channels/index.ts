/** One sender per configured channel, and each channel type's documented rate limit. */
import type { Channel, ChannelType } from '../../core/notify/schema.js';
import { emailSender } from './email.js';
import { dingtalkSender, feishuSender, wecomSender } from './robots.js';
import { smsSender } from './sms.js';
import type { Sender, SenderDeps } from './types.js';
import { webhookSender } from './webhook.js';

/**
 * Messages a minute when the registry sets none. WeCom: "每个机器人发送的消息不能超过20条/分钟"
 * (developer.work.weixin.qq.com/document/path/91770); DingTalk: 20 a minute per robot
 * (open.dingtalk.com/document/robots/custom-robot-access); Feishu: "单租户单机器人 100 次/分钟，5 次/秒"
 * (open.feishu.cn/document/client-docs/bot-v3/add-custom-bot). E-mail, SMS and webhooks have no published
 * limit here: modest defaults that a county's alerts never reach but a flood cannot exceed.
 */
export const DEFAULT_RATE_PER_MINUTE: Record<ChannelType, number> = {
  wecom: 20,
  dingtalk: 20,
  feishu: 100,
  email: 60,
  sms: 30,
  webhook: 120,
};

export function createSender(c: Channel, deps: SenderDeps): Sender {
  switch (c.type) {
    case 'webhook':
      return webhookSender(c, deps);
    case 'wecom':
      return wecomSender(c, deps);
    case 'dingtalk':
      return dingtalkSender(c, deps);
    case 'feishu':
      return feishuSender(c, deps);
    case 'email':
      return emailSender(c, deps);
    case 'sms':
      return smsSender(c, deps);
  }
}
