import { CreateScheduleCommand, DeleteScheduleCommand, GetScheduleCommand, SchedulerClient, ConflictException } from '@aws-sdk/client-scheduler';
import { startSchedulerStandIn } from '../scheduler-stand-in';
import { EventBridgeSendScheduler } from '../../shared/delivery/send-scheduler';

const s = await startSchedulerStandIn({ invoke: async (arn, input) => { console.log('INVOKE', arn, input); }, onEvent: (e) => console.log('EV', e) });
process.env.AWS_ENDPOINT_URL_SCHEDULER = s.url;
const client = new SchedulerClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
const sch = new EventBridgeSendScheduler(client, 'grp', 'arn:aws:iam::000000000000:role/x');
const at = new Date(Date.now() + 2000).toISOString();
console.log(await sch.schedule({ messageId: 'm1', sendAt: at, targetArn: 'arn:aws:lambda:us-east-1:000000000000:function:genesys-send' }));
console.log(await sch.schedule({ messageId: 'm1', sendAt: at, targetArn: 'arn:aws:lambda:us-east-1:000000000000:function:genesys-send' }));
try { await client.send(new CreateScheduleCommand({ Name: 'x', ScheduleExpression: 'rate(1 minute)', FlexibleTimeWindow: { Mode: 'OFF' }, Target: { Arn: 'a', RoleArn: 'b' } })); } catch (e) { console.log('ERR', (e as Error).name, (e as Error).message); }
try { await client.send(new GetScheduleCommand({ Name: 'nope', GroupName: 'grp' })); } catch (e) { console.log('ERR', (e as Error).name, (e as Error).message); }
console.log(s.schedules());
const g = await client.send(new GetScheduleCommand({ Name: s.schedules()[0]!.name, GroupName: 'grp' }));
console.log(g.ScheduleExpression, g.Target?.Input, g.CreationDate);
await new Promise((r) => setTimeout(r, 2500));
console.log(s.schedules());
await s.close(); client.destroy();
