// Time, from outside: the wall clock (tests may shift it) and the timer of deadlines.

export interface Clock {
  now(): number;
}
