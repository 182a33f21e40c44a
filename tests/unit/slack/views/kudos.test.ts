/** What people see of kudos: the giver's reply, the recipient's DM, the modal and the App Home section. */
import type { Kudos } from '../../../../functions/domain/kudos';
import { IDS } from '../../../../functions/slack/ids';
import {
  givenReply,
  kudosDm,
  kudosDoneView,
  kudosHomeBlocks,
  kudosModal,
  peopleList,
  reactionOverQuota,
  readKudosView,
  thanksDraft,
} from '../../../../functions/slack/views/kudos';
import { allText, inputById, inputs, sectionTexts } from './blocks';

const kudos = (over: Partial<Kudos> = {}): Kudos => ({
  id: 'k1',
  giver: 'U0GIVER',
  recipients: ['U0ANN'],
  message: 'Fixed my laptop before the board meeting',
  values: [],
  departments: {},
  at: Date.UTC(2026, 10, 25, 14, 30),
  day: '2026-11-25',
  week: '2026-W48',
  source: 'command',
  ...over,
});

describe('the giver and the recipients', () => {
  it('names everyone thanked and what is left today', () => {
    expect(peopleList(['U0A', 'U0B', 'U0C'])).toBe('<@U0A>, <@U0B> and <@U0C>');
    expect(givenReply({ recipients: ['U0A', 'U0B'] }, 2)).toBe(
      'Thanked <@U0A> and <@U0B>. You have 2 kudos left today.',
    );
    expect(givenReply({ recipients: ['U0A'] }, 1)).toBe('Thanked <@U0A>. You have 1 kudos left today.');
  });

  it('DMs the recipient the message, escaped, with the values, the request and the others thanked', () => {
    const dm = kudosDm(
      kudos({
        recipients: ['U0ANN', 'U0BEN'],
        message: 'Saved <!channel> & the day',
        values: ['ownership', 'speed'],
        requestId: 'IT-42',
        about: { channel: 'C0GENERAL', ts: '1700000000.000100' },
      }),
    );
    expect(dm.text).toBe('<@U0GIVER> gave you kudos');
    const text = allText(dm);
    expect(text).toContain(':tada: <@U0GIVER> gave you kudos: “Saved &lt;!channel&gt; &amp; the day”');
    expect(text).toContain(
      '#ownership #speed · for IT-42 · <https://slack.com/archives/C0GENERAL/p1700000000000100|the message>',
    );
    expect(text).toContain('Thanked together (with <@U0BEN>).');
    expect(text).not.toContain('<!channel>');
  });

  it('says which reaction gave kudos on which message', () => {
    const dm = kudosDm(
      kudos({ source: 'reaction', message: ':tada:', about: { channel: 'C0GENERAL', ts: '1700000000.000100' } }),
    );
    expect(allText(dm)).toContain(
      ':tada: <@U0GIVER> gave you kudos with :tada: on <https://slack.com/archives/C0GENERAL/p1700000000000100|your message>.',
    );
  });

  it('tells a giver over the quota when more kudos can be given', () => {
    expect(reactionOverQuota(5, 'tada')).toBe(
      'Your :tada: reaction did not give kudos: you have given your 5 for today. More tomorrow (midnight where you are), or thank someone with `/kudos` then.',
    );
  });
});

describe('the Give kudos modal', () => {
  it('asks who, what for, the request and the values, with the message and its author picked', () => {
    const view = kudosModal({
      recipient: 'U0ANN',
      about: { channel: 'C0GENERAL', ts: '1700000000.000100', text: 'Printer   fixed\nfor <everyone>' },
      metadata: '{"channel":"C0GENERAL"}',
    });
    expect(view.callback_id).toBe(IDS.kudosModal);
    expect(view.title.text).toBe('Give kudos');
    expect(view.submit?.text).toBe('Send');
    expect(view.close?.text).toBe('Cancel');
    expect(view.private_metadata).toBe('{"channel":"C0GENERAL"}');
    expect(allText({ blocks: view.blocks })).toContain(
      'About <https://slack.com/archives/C0GENERAL/p1700000000000100|this message>\n>Printer fixed for &lt;everyone&gt;',
    );
    expect(inputs(view.blocks).map((b) => b.label.text)).toEqual([
      'Who are you thanking?',
      'What for?',
      'Request ID',
      'Values',
    ]);
    expect(inputById(view.blocks, IDS.kudosRecipientsBlock).element).toMatchObject({ initial_users: ['U0ANN'] });
  });

  it('from Say thanks: the resolver picked, the request linked and a message to change, all within limits', () => {
    const long = 'x'.repeat(600);
    const view = kudosModal({
      recipient: 'U0ANN',
      thanks: { requestId: 'IT-42', title: `Printer *on fire* <!here> ${long}`, message: thanksDraft('IT-42') },
      metadata: '{"from":"thanks"}',
    });
    const text = allText({ blocks: view.blocks });
    expect(text).toContain('For IT-42 (*Printer *on fire* &lt;!here&gt;');
    expect(text).not.toContain('<!here>');
    expect(text).toContain('counts as one of your kudos today');
    for (const line of sectionTexts(view.blocks)) expect(line.length).toBeLessThanOrEqual(3000);
    expect(inputById(view.blocks, IDS.kudosRecipientsBlock).element).toMatchObject({ initial_users: ['U0ANN'] });
    expect(inputById(view.blocks, IDS.kudosRequestBlock).element).toMatchObject({ initial_value: 'IT-42' });
    const message = inputById(view.blocks, IDS.kudosMessageBlock).element as {
      initial_value?: string;
      max_length?: number;
    };
    expect(message.initial_value).toBe('Thank you for sorting out IT-42: it made a real difference.');
    expect(message.initial_value!.length).toBeLessThanOrEqual(message.max_length!);
  });

  it('reads a submission back, trimmed, each recipient once', () => {
    const typed = readKudosView({
      [IDS.kudosRecipientsBlock]: { [IDS.value]: { selected_users: ['U0ANN', 'U0ANN', 'U0BEN'] } },
      [IDS.kudosMessageBlock]: { [IDS.value]: { value: '  Thanks!  ' } },
      [IDS.kudosRequestBlock]: { [IDS.value]: { value: null } },
      [IDS.kudosValuesBlock]: { [IDS.value]: { value: ' #speed ' } },
    });
    expect(typed).toEqual({ recipients: ['U0ANN', 'U0BEN'], message: 'Thanks!', requestId: '', values: '#speed' });
  });

  it('closes with what happened', () => {
    const done = kudosDoneView('Thanked <@U0ANN>.');
    expect(done.title.text).toBe('Kudos sent');
    expect(done.close?.text).toBe('Done');
    expect(done.submit).toBeUndefined();
    expect(allText({ blocks: done.blocks })).toContain('Thanked <@U0ANN>.');
  });
});

describe('the App Home kudos section', () => {
  const home = {
    week: '2026-W48',
    receivedWeek: 2,
    givenWeek: 1,
    receivedTotal: 10,
    givenTotal: 7,
    leaderboard: [
      { name: 'IT', count: 5 },
      { name: 'R&D', count: 3 },
      { name: 'Sales', count: 2 },
      { name: 'Ops', count: 1 },
    ],
  };

  it('shows this week against all time, and the departments with medals', () => {
    const text = allText({ blocks: kudosHomeBlocks(home) });
    expect(text).toContain('*Kudos*\nReceived *2* this week (10 in all) · given *1* this week (7 in all)');
    expect(text).toContain(
      "*This week's departments*\n:first_place_medal: IT — 5\n:second_place_medal: R&amp;D — 3\n:third_place_medal: Sales — 2\n4. Ops — 1",
    );
  });

  it('invites a first kudos when there is none this week', () => {
    expect(allText({ blocks: kudosHomeBlocks({ ...home, leaderboard: [] }) })).toContain(
      'No kudos yet this week. Thank someone with `/kudos @someone message` or the “Give kudos” message shortcut.',
    );
  });
});
