/**
 * Name knowledge the string measures cannot have: which given names are forms of one another, and
 * which names are so frequent that sharing one says little. Lower case, without accents or
 * punctuation, as `name-comparison.ts` normalises names. Deliberately short: a name missing here
 * still meets the phonetic and spelling comparisons; a wrong entry would join different children.
 */

/**
 * Groups of given names recorded for one child: English nicknames, and spellings and
 * transliterations of one name. A name may be in several groups (Sam: Samuel, Samantha). Jack is
 * not in John's group nor Caitlin in Katherine's: today each is far more often a name of its own.
 */
const GIVEN_NAME_GROUPS: readonly (readonly string[])[] = [
  // Nicknames and the names they shorten.
  ['abigail', 'abbie', 'abby', 'abi'],
  ['alexander', 'alex', 'alec', 'xander'],
  ['alexandra', 'alex', 'alexa', 'lexi', 'lexie'],
  ['alfred', 'alfie', 'alf'],
  ['andrew', 'andy', 'drew'],
  ['anthony', 'antony', 'tony'],
  ['archibald', 'archie'],
  ['benjamin', 'ben', 'benny', 'benji'],
  ['charles', 'charlie', 'chas'],
  ['charlotte', 'charlie', 'lottie'],
  ['christopher', 'chris', 'kit'],
  ['daniel', 'dan', 'danny'],
  ['david', 'dave', 'davey', 'davy'],
  ['edward', 'ed', 'eddie', 'ted', 'teddy', 'ned'],
  ['eleanor', 'elinor', 'ellie', 'nell', 'nellie'],
  ['elizabeth', 'liz', 'lizzie', 'lizzy', 'beth', 'betty', 'eliza', 'libby'],
  ['frederick', 'fred', 'freddie', 'freddy'],
  ['gabriel', 'gabe'],
  ['henry', 'harry', 'hal'],
  ['isabella', 'isabelle', 'isabel', 'isobel', 'izzy', 'issy', 'bella'],
  ['jacob', 'jake'],
  ['james', 'jim', 'jimmy', 'jamie'],
  ['jennifer', 'jenny', 'jen'],
  ['jessica', 'jess', 'jessie'],
  ['john', 'johnny', 'jon'],
  ['jonathan', 'jon', 'jonny', 'johnny'],
  ['joseph', 'joe', 'joey'],
  ['joshua', 'josh'],
  ['katherine', 'catherine', 'kathryn', 'katharine', 'kate', 'katie', 'katy', 'kat', 'cathy', 'kathy'],
  ['margaret', 'maggie', 'meg', 'peggy'],
  ['matthew', 'matt', 'matty'],
  ['michael', 'mike', 'mikey', 'mick', 'mickey'],
  ['nathan', 'nathaniel', 'nate'],
  ['nicholas', 'nick', 'nicky'],
  ['oliver', 'ollie', 'olly'],
  ['olivia', 'liv', 'livvy'],
  ['patrick', 'pat', 'paddy'],
  ['rebecca', 'becky', 'becca'],
  ['richard', 'rich', 'richie', 'rick', 'ricky'],
  ['robert', 'rob', 'robbie', 'bob', 'bobby'],
  ['samantha', 'sam', 'sammy'],
  ['samuel', 'sam', 'sammy'],
  ['theodore', 'theo'],
  ['thomas', 'tom', 'tommy'],
  ['victoria', 'vicky', 'vicki', 'tori'],
  ['william', 'will', 'bill', 'billy', 'liam'],
  ['zachary', 'zach', 'zack', 'zak'],
  // Spellings and transliterations of one name.
  ['mohammed', 'muhammad', 'mohammad', 'mohamed', 'muhammed', 'mohamad', 'mohammod'],
  ['aisha', 'ayesha', 'aysha', 'aishah', 'ayisha'],
  ['aaliyah', 'aliyah', 'aliya'],
  ['ahmed', 'ahmad'],
  ['fatima', 'fatimah'],
  ['hussain', 'hussein', 'husain'],
  ['ibrahim', 'ebrahim'],
  ['mustafa', 'mustapha'],
  ['yusuf', 'yousef', 'youssef', 'yusef', 'yousuf'],
  ['zainab', 'zaynab'],
  ['caitlin', 'caitlyn', 'kaitlyn', 'kaitlin', 'katelyn'],
  ['jayden', 'jaden', 'jaiden', 'jaydon'],
  ['kayleigh', 'kayley', 'kaylee', 'kaley'],
  ['lily', 'lilly', 'lillie'],
  ['louis', 'lewis'],
  ['niamh', 'neve', 'neave'],
  ['sean', 'shaun', 'shawn'],
  ['sophie', 'sophia', 'sofia'],
  ['stephen', 'steven', 'steve', 'stevie'],
  ['zoe', 'zoey'],
];

const GROUPS_OF_NAME: ReadonlyMap<string, ReadonlySet<number>> = (() => {
  const groups = new Map<string, Set<number>>();
  GIVEN_NAME_GROUPS.forEach((names, index) => {
    for (const name of names) groups.set(name, (groups.get(name) ?? new Set<number>()).add(index));
  });
  return groups;
})();

/** Whether two different given names are forms of one name. */
export function areGivenNameVariants(a: string, b: string): boolean {
  const groupsOfA = GROUPS_OF_NAME.get(a);
  const groupsOfB = GROUPS_OF_NAME.get(b);
  if (!groupsOfA || !groupsOfB) return false;
  for (const group of groupsOfA) if (groupsOfB.has(group)) return true;
  return false;
}

/**
 * Among the most frequent given names of children born in England and Wales in 2005–2015 (ONS baby
 * names statistics), with their common spellings: the ages the youth justice and social care systems
 * share.
 */
const COMMON_GIVEN_NAMES: ReadonlySet<string> = new Set([
  ...['jack', 'oliver', 'thomas', 'harry', 'joshua', 'james', 'william', 'daniel', 'charlie', 'samuel'],
  ...['george', 'alfie', 'jacob', 'ethan', 'noah', 'leo', 'lewis', 'ryan', 'liam', 'callum', 'connor'],
  ...['mohammed', 'muhammad', 'mohammad', 'mohamed'],
  ...['olivia', 'amelia', 'emily', 'jessica', 'ruby', 'chloe', 'sophie', 'lily', 'grace', 'ella', 'isla'],
  ...['isabella', 'mia', 'ava', 'evie', 'poppy', 'ellie', 'megan', 'lucy', 'hannah', 'charlotte', 'emma'],
]);

/** Among the most frequent family names in England and Wales. */
const COMMON_FAMILY_NAMES: ReadonlySet<string> = new Set([
  ...['smith', 'jones', 'williams', 'taylor', 'brown', 'davies', 'evans', 'wilson', 'thomas', 'johnson'],
  ...['roberts', 'robinson', 'thompson', 'wright', 'walker', 'white', 'edwards', 'hughes', 'green', 'hall'],
  ...['lewis', 'harris', 'clarke', 'jackson', 'wood', 'turner', 'martin', 'cooper', 'hill', 'ward'],
  ...['morris', 'moore', 'clark', 'lee', 'king', 'baker', 'harrison', 'morgan', 'allen', 'james', 'scott'],
  ...['patel', 'khan', 'ali', 'hussain', 'begum', 'singh', 'kaur', 'ahmed'],
]);

export function isCommonGivenName(name: string): boolean {
  return COMMON_GIVEN_NAMES.has(name);
}

export function isCommonFamilyName(name: string): boolean {
  return COMMON_FAMILY_NAMES.has(name);
}
