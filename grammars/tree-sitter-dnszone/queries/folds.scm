; A record whose data runs over several lines inside ( … ).
(parenthesized) @fold
