package scoring

import (
	"strconv"
	"strings"
	"time"
)

// Stage is where a person stands in the relationship.
type Stage string

// The lifecycle stages, in the order a relationship usually moves through
// them; at-risk and lapsed can follow any customer stage.
const (
	StageProspect Stage = "prospect"        // seen, not identified
	StageLead     Stage = "lead"            // identified (an email, a phone, a user id), no order
	StageNew      Stage = "new_customer"    // one order
	StageRepeat   Stage = "repeat_customer" // two orders or more
	StageLoyal    Stage = "loyal_customer"  // enough orders over enough time, or enough product lines
	StageAdvocate Stage = "advocate"        // loyal and recommends: referrals, reviews, shares ("raving fan")
	StageAtRisk   Stage = "at_risk"         // a customer whose next order is overdue against their rhythm
	StageLapsed   Stage = "lapsed"          // a customer overdue by far
)

// Stages lists every stage.
var Stages = []Stage{StageProspect, StageLead, StageNew, StageRepeat, StageLoyal, StageAdvocate, StageAtRisk, StageLapsed}

// stageIndex returns s's position in Stages, or -1.
func stageIndex(s Stage) int {
	for i, x := range Stages {
		if x == s {
			return i
		}
	}
	return -1
}

func stageList() string {
	names := make([]string, len(Stages))
	for i, s := range Stages {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}

// Lifecycle is the lifecycle dimension of a result.
type Lifecycle struct {
	Stage Stage     `json:"stage"`
	Since time.Time `json:"since"`
}

// Transition is one change of stage, at the time it happened: the time of
// the event that caused it, or, for at-risk and lapsed, the moment the
// customer became overdue.
type Transition struct {
	From   Stage     `json:"from,omitempty"`
	To     Stage     `json:"to"`
	At     time.Time `json:"at"`
	Reason string    `json:"reason"`
	// Elapsed marks a transition caused by time passing (at-risk,
	// lapsed); a late event from before it takes it back.
	Elapsed bool `json:"elapsed,omitempty"`
}

// MaxHistory bounds the transitions a State keeps; older ones are dropped.
const MaxHistory = 50

// verdict is the stage a profile is in at a moment, and why.
type verdict struct {
	stage   Stage
	at      time.Time // for elapsed verdicts: when the customer became overdue
	elapsed bool
	reason  string
}

// stageAt works out the subject's stage at t from its identities and
// aggregates. Without why it leaves the reason empty (an explanation-free
// rescoring needs it only when the stage changes): building it is a third
// of the stage's cost.
func stageAt(c *compiled, s *Subject, t time.Time, why bool) verdict {
	if s.Orders == 0 {
		if s.Kinds&c.identifiedMask != 0 {
			return verdict{stage: StageLead, reason: ifWhy(why, "identified, no order")}
		}
		return verdict{stage: StageProspect, reason: ifWhy(why, "not identified")}
	}
	interval := c.interval(s)
	if gap := t.Sub(s.LastOrderAt); !s.LastOrderAt.IsZero() && gap > 0 {
		for _, k := range []struct {
			stage  Stage
			factor float64
		}{{StageLapsed, c.lapsedAfter}, {StageAtRisk, c.atRiskAfter}} {
			limit := time.Duration(k.factor * float64(interval))
			if gap > limit {
				v := verdict{stage: k.stage, at: s.LastOrderAt.Add(limit), elapsed: true}
				if why {
					v.reason = overdueReason(gap, interval, k.factor)
				}
				return v
			}
		}
	}
	return c.customerStage(s, why)
}

// ifWhy returns reason when it is wanted.
func ifWhy(why bool, reason string) string {
	if why {
		return reason
	}
	return ""
}

// customerStage is the stage of a customer who is not overdue.
func (c *compiled) customerStage(s *Subject, why bool) verdict {
	if s.Orders == 1 {
		return verdict{stage: StageNew, reason: ifWhy(why, "1 order")}
	}
	tenure := s.LastOrderAt.Sub(s.FirstOrderAt)
	lines := s.ProductLines
	loyal := (s.Orders >= c.loyal.MinOrders && tenure >= c.loyal.MinTenure.Std()) ||
		(c.loyal.MinProductLines > 0 && lines >= int64(c.loyal.MinProductLines))
	v := verdict{stage: StageRepeat}
	var advocacy int64
	if loyal {
		v.stage = StageLoyal
		for _, name := range c.advocacy {
			advocacy += s.Events[name]
		}
		if advocacy >= c.minAdvocacy {
			v.stage = StageAdvocate
		}
	}
	if !why {
		return v
	}
	b := make([]byte, 0, 64)
	b = appendCount(b, s.Orders, " orders over ")
	b = appendDays(b, tenure)
	b = appendCount(append(b, ", "...), lines, " product line")
	if lines != 1 {
		b = append(b, 's')
	}
	if v.stage == StageAdvocate {
		b = appendCount(append(b, ", "...), advocacy, " advocacy event")
		if advocacy != 1 {
			b = append(b, 's')
		}
	}
	v.reason = string(b)
	return v
}

// interval is the customer's usual time between orders: the mean gap, at
// least the minimum, or the default with a single order.
func (c *compiled) interval(s *Subject) time.Duration {
	if s.Orders < 2 {
		return c.defaultInterval
	}
	mean := s.LastOrderAt.Sub(s.FirstOrderAt) / time.Duration(s.Orders-1)
	return max(mean, c.minInterval)
}

func overdueReason(gap, interval time.Duration, factor float64) string {
	b := make([]byte, 0, 64)
	b = appendDays(append(b, "no order for "...), gap)
	b = strconv.AppendFloat(append(b, ", over "...), factor, 'g', -1, 64)
	b = appendDays(append(b, " × the usual "...), interval)
	return string(b)
}

// advance moves st to v's stage at the time v gives (an elapsed verdict)
// or at (an event's time), never before the latest recorded transition.
func (st *State) advance(v verdict, at time.Time) {
	if v.stage == st.Stage {
		return
	}
	if v.elapsed {
		at = v.at
	}
	if at.Before(st.Since) {
		at = st.Since
	}
	if len(st.History) >= MaxHistory {
		st.History = append(st.History[:0], st.History[len(st.History)-MaxHistory+1:]...)
	}
	st.History = append(st.History, Transition{From: st.Stage, To: v.stage, At: at, Reason: v.reason, Elapsed: v.elapsed})
	st.Stage, st.Since = v.stage, at
}

// retract takes back the trailing transitions caused by time passing that
// an event at t shows did not happen (the customer was active at t).
func (st *State) retract(t time.Time) {
	for n := len(st.History); n > 0; n = len(st.History) {
		last := st.History[n-1]
		if !last.Elapsed || !last.At.After(t) {
			return
		}
		st.History = st.History[:n-1]
		st.Stage = last.From
		st.Since = time.Time{}
		if n > 1 {
			st.Since = st.History[n-2].At
		}
	}
}

func appendCount(b []byte, n int64, noun string) []byte {
	return append(strconv.AppendInt(b, n, 10), noun...)
}

// appendDays writes d in whole days ("45d"), or hours below a day.
func appendDays(b []byte, d time.Duration) []byte {
	if d < 24*time.Hour {
		return append(strconv.AppendInt(b, int64(d/time.Hour), 10), 'h')
	}
	return append(strconv.AppendInt(b, int64(d/(24*time.Hour)), 10), 'd')
}
