/** Who made a change, as events and the timeline record it: the token's subject and the role it acted in. */
export interface Actor {
  subject: string;
  role: string;
}
